// Quoting for the inline /bin/sh scripts render writes into manifests.

/** One POSIX shell word: 'it'\''s' for it's. */
export function shq(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Names that look like they hold credentials: their values are never printed. */
export function looksSecret(name: string): boolean {
  return /TOKEN|PASSWORD|PASSWD|SECRET|KEY|CREDENTIAL/i.test(name);
}
