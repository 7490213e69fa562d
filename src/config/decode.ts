// The bytes of incluster.yaml -> its text, or a UsageError naming the encoding problem and where
// it is. YAML files are UTF-8 here (as kubectl reads them); a UTF-16 file from an editor or a
// Latin-1 file is named as such instead of surfacing as a strange syntax error. Pure.
import { UsageError } from "../errors.js";

const FIX = "save the file as UTF-8 (without a byte order mark is best)";

export function decodeConfig(bytes: Uint8Array, file: string): string {
  const bom = byteOrderMark(bytes);
  if (bom) throw new UsageError(`${file} is not UTF-8`, [`${file}: the file is ${bom} (it starts with a byte order mark); ${FIX}`]);
  // UTF-16 without a mark: every other byte of ASCII text is NUL.
  if (bytes.length >= 2 && ((bytes[0] === 0 && bytes[1] !== 0) || (bytes[0] !== 0 && bytes[1] === 0))) {
    throw new UsageError(`${file} is not UTF-8`, [`${file}: the file looks like UTF-16 (NUL bytes between the characters); ${FIX}`]);
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  // The native decoder is fast; the byte-by-byte scan only runs to say where a problem is.
  if (!body.includes(0)) {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(body);
    } catch {
      // fall through to find the offending byte
    }
  }
  const bad = firstInvalidUtf8(bytes, start);
  if (bad !== undefined) {
    const b = bytes[bad] ?? 0;
    const what =
      b === 0
        ? "a NUL byte (is it a binary file?)"
        : `byte 0x${b.toString(16).padStart(2, "0")}, which is not valid UTF-8 (Latin-1 or Windows-1252 text?)`;
    throw new UsageError(`${file} is not UTF-8`, [`${file}:${lineAt(bytes, bad)}: ${what}; ${FIX}`]);
  }
  return new TextDecoder("utf-8").decode(body);
}

function byteOrderMark(b: Uint8Array): string | undefined {
  if (b[0] === 0xff && b[1] === 0xfe) return b[2] === 0 && b[3] === 0 ? "UTF-32 (little-endian)" : "UTF-16 (little-endian)";
  if (b[0] === 0xfe && b[1] === 0xff) return "UTF-16 (big-endian)";
  if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return "UTF-32 (big-endian)";
  return undefined;
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence (RFC 3629), or a NUL. */
export function firstInvalidUtf8(b: Uint8Array, from = 0): number | undefined {
  let i = from;
  while (i < b.length) {
    const c = b[i] ?? 0;
    if (c === 0) return i;
    if (c < 0x80) {
      i++;
      continue;
    }
    const [n, min, max] =
      c >= 0xc2 && c <= 0xdf ? [1, 0x80, 0xbf]
      : c === 0xe0 ? [2, 0xa0, 0xbf]
      : c === 0xed ? [2, 0x80, 0x9f]
      : c >= 0xe1 && c <= 0xef ? [2, 0x80, 0xbf]
      : c === 0xf0 ? [3, 0x90, 0xbf]
      : c === 0xf4 ? [3, 0x80, 0x8f]
      : c >= 0xf1 && c <= 0xf3 ? [3, 0x80, 0xbf]
      : [0, 0, 0];
    if (n === 0) return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      const [lo, hi] = k === 1 ? [min, max] : [0x80, 0xbf];
      if (d === undefined || d < lo || d > hi) return i;
    }
    i += n + 1;
  }
  return undefined;
}

function lineAt(b: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (b[i] === 0x0a) line++;
  return line;
}
