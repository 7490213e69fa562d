// Text from test runners made fit for our outputs: colour codes removed, characters XML 1.0 cannot
// carry dropped, a message cut to one line. Code-point loops, not regular expressions.

const ESC = 0x1b;
/** The longest one-line message the summary prints before cutting it with an ellipsis. */
export const ONE_LINE_MAX = 200;

/** Removes ANSI escape sequences (CSI `ESC [ … final`, and two-character `ESC x`). */
export function stripAnsi(s: string): string {
  if (!s.includes("\u001b")) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) !== ESC) {
      out += s[i];
      continue;
    }
    if (s[i + 1] === "[") {
      let j = i + 2;
      // parameter and intermediate bytes 0x20–0x3F, then one final byte 0x40–0x7E
      while (j < s.length && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x3f) j++;
      i = j;
    } else i += 1;
  }
  return out;
}

/** Keeps only the characters XML 1.0 allows (tab, newline, carriage return, and from U+0020 on, less surrogates halves and U+FFFE/U+FFFF). */
export function xmlSafe(s: string): string {
  let out = "";
  for (const ch of stripAnsi(s)) {
    const c = ch.codePointAt(0)!;
    const ok = c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;
    if (ok) out += ch;
  }
  return out;
}

/** The first non-blank line, without colour, cut at ONE_LINE_MAX characters. */
export function oneLine(s: string | undefined): string {
  const line = stripAnsi(s ?? "").split("\n").find((l) => l.trim() !== "")?.trim() ?? "";
  const chars = [...line];
  return chars.length > ONE_LINE_MAX ? `${chars.slice(0, ONE_LINE_MAX - 1).join("")}…` : line;
}
