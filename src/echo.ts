// How received values are echoed in messages: clipped, so a 10 MB value or a pasted credentials
// file never comes back in full. Values that may be secrets are not echoed at all (kindOf). A leaf
// (it imports nothing): config/ echoes what it received, error-text.ts clips a usage error's lines.

/** Characters of a received value shown in a message. */
export const ECHO_MAX = 60;

/** The text, cut to ECHO_MAX characters with a note of the full length. */
export function clip(text: string, max = ECHO_MAX): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length} characters)`;
}

/** What kind of value was received, without the value: for fields that may hold a secret. */
export function kindOf(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null (an empty value)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `a ${typeof value}`;
}
