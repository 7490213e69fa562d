// Quoting for the inline /bin/sh scripts render writes into manifests (shq lives with the runner adapters, which write shell too).
export { shq } from "../runners/shell.js";

/** Names that look like they hold credentials: their values are never printed. */
export function looksSecret(name: string): boolean {
  return /TOKEN|PASSWORD|PASSWD|SECRET|KEY|CREDENTIAL/i.test(name);
}
