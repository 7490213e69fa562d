// A minimal POSIX tar writer (ustar, with a pax header for paths over 100 bytes): enough for
// the local overlay, which busybox and GNU tar both extract. Pure.

export interface TarEntry {
  path: string;
  content: Buffer;
  executable: boolean;
  /** A symlink: content is ignored, the link points here. */
  linkTarget?: string;
  mtime: number;
}

const BLOCK = 512;

export function tar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const body = e.linkTarget !== undefined ? Buffer.alloc(0) : e.content;
    if (Buffer.byteLength(e.path) > 100 || (e.linkTarget !== undefined && Buffer.byteLength(e.linkTarget) > 100)) {
      const pax = paxRecords({ path: e.path, ...(e.linkTarget !== undefined ? { linkpath: e.linkTarget } : {}) });
      parts.push(header("PaxHeader", pax.length, 0o644, e.mtime, "x", ""), pad(pax));
    }
    const type = e.linkTarget !== undefined ? "2" : "0";
    parts.push(header(e.path.slice(0, 100), body.length, e.executable ? 0o755 : 0o644, e.mtime, type, (e.linkTarget ?? "").slice(0, 100)), pad(body));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function paxRecords(fields: Record<string, string>): Buffer {
  let text = "";
  for (const [k, v] of Object.entries(fields)) {
    // "<len> key=value\n" where len counts itself.
    const rest = ` ${k}=${v}\n`;
    let len = Buffer.byteLength(rest) + 1;
    while (String(len).length + Buffer.byteLength(rest) !== len) len = String(len).length + Buffer.byteLength(rest);
    text += `${len}${rest}`;
  }
  return Buffer.from(text, "utf8");
}

function header(name: string, size: number, mode: number, mtime: number, type: string, link: string): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, "utf8");
  h.write(octal(mode, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(Math.floor(mtime), 12), 136);
  h.write("        ", 148); // checksum field counts as spaces while summing
  h.write(type, 156);
  h.write(link, 157, 100, "utf8");
  h.write("ustar\u000000", 257);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\u0000 `, 148);
  return h;
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, "0")}\u0000`;
}

function pad(b: Buffer): Buffer {
  const rem = b.length % BLOCK;
  return rem ? Buffer.concat([b, Buffer.alloc(BLOCK - rem)]) : b;
}
