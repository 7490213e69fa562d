import { randomBytes } from "node:crypto";

/** What newRunId returns; `logs` tells a run id from a suite name with it. */
export const RUN_ID_PATTERN = /^[a-z0-9]{6}$/;

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** Six lowercase alphanumerics: unique enough per namespace and valid in a Job name. */
export function newRunId(): string {
  const bytes = randomBytes(6);
  let id = "";
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}
