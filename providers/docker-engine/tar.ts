/**
 * A minimal tar (POSIX ustar) writer for `PUT /containers/{id}/archive`: regular files and directories, owned by
 * root, with PAX headers for paths longer than ustar can hold.
 */

export interface TarEntry {
  /** Path inside the archive, relative, with "/" separators; directories may end with "/". */
  path: string;
  type: "file" | "dir";
  /** Permission bits, e.g. 0o644. */
  mode: number;
  /** File content (files only). */
  content?: Buffer;
}

export interface UploadFile {
  /** Absolute path in the container, e.g. /etc/app/app.conf */
  path: string;
  content: Buffer;
  mode: number;
}

const BLOCK = 512;

/** `value` as `width - 1` zero-padded octal digits and a NUL. */
function octal(value: number, width: number): string {
  const digits = Math.floor(value).toString(8);
  if (digits.length > width - 1) throw new Error(`tar: value ${value} does not fit in a ${width}-byte header field`);
  return digits.padStart(width - 1, "0") + "\0";
}

/** Splits a path into ustar's prefix (<= 155 bytes) and name (<= 100 bytes), or undefined when it cannot. */
function splitUstarPath(path: string): { prefix: string; name: string } | undefined {
  if (Buffer.byteLength(path) <= 100) return { prefix: "", name: path };
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name.length > 0) return { prefix, name };
  }
  return undefined;
}

function header(fields: { name: string; prefix: string; mode: number; size: number; typeflag: string; mtime: number }): Buffer {
  const block = Buffer.alloc(BLOCK, 0);
  block.write(fields.name, 0, 100, "utf8");
  block.write(octal(fields.mode, 8), 100, 8, "ascii");
  block.write(octal(0, 8), 108, 8, "ascii"); // uid
  block.write(octal(0, 8), 116, 8, "ascii"); // gid
  block.write(octal(fields.size, 12), 124, 12, "ascii");
  block.write(octal(fields.mtime, 12), 136, 12, "ascii");
  block.write("        ", 148, 8, "ascii"); // checksum placeholder: spaces while summing
  block.write(fields.typeflag, 156, 1, "ascii");
  block.write("ustar\0", 257, 6, "ascii");
  block.write("00", 263, 2, "ascii");
  block.write("root", 265, 32, "ascii");
  block.write("root", 297, 32, "ascii");
  block.write(fields.prefix, 345, 155, "utf8");
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, 8, "ascii");
  return block;
}

function padded(content: Buffer): Buffer[] {
  const rest = content.length % BLOCK;
  return rest === 0 ? [content] : [content, Buffer.alloc(BLOCK - rest, 0)];
}

/** A PAX record "<len> path=<value>\n" whose length counts its own digits. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length++;
  return `${length}${body}`;
}

/** The archive of `entries`, in order, ending with the two zero blocks. `mtime` is in seconds since the epoch. */
export function tarArchive(entries: readonly TarEntry[], mtime = Math.floor(Date.now() / 1000)): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    let path = entry.path.replace(/^\/+/, "");
    if (entry.type === "dir" && !path.endsWith("/")) path += "/";
    const content = entry.type === "file" ? (entry.content ?? Buffer.alloc(0)) : Buffer.alloc(0);
    let split = splitUstarPath(path);
    if (!split) {
      const pax = Buffer.from(paxRecord("path", path), "utf8");
      parts.push(header({ name: "PaxHeader", prefix: "", mode: 0o644, size: pax.length, typeflag: "x", mtime }));
      parts.push(...padded(pax));
      split = { prefix: "", name: path.slice(0, 100) };
    }
    parts.push(
      header({
        name: split.name,
        prefix: split.prefix,
        mode: entry.mode & 0o7777,
        size: content.length,
        typeflag: entry.type === "dir" ? "5" : "0",
        mtime,
      }),
    );
    if (content.length > 0) parts.push(...padded(content));
  }
  parts.push(Buffer.alloc(2 * BLOCK, 0));
  return Buffer.concat(parts);
}

/** "/a/b/c.txt" -> ["a", "b", "c.txt"]; rejects relative paths and "." / ".." segments. */
export function pathSegments(path: string): string[] {
  if (!path.startsWith("/")) throw new Error(`upload path must be absolute, got ${JSON.stringify(path)}`);
  const segments = path.split("/").filter((s) => s.length > 0);
  if (segments.length === 0 || segments.some((s) => s === "." || s === "..")) {
    throw new Error(`upload path must name a file without "." or ".." segments, got ${JSON.stringify(path)}`);
  }
  return segments;
}

/**
 * The archive that `PUT /containers/{id}/archive?path=<root>` extracts into `root` to create `files`: each file's
 * directories below `root` come first (mode 0755, once each), so missing parents are created while `root` itself and
 * the directories above it keep their owner and mode. Every file must lie below `root`.
 */
export function uploadArchive(root: string, files: readonly UploadFile[], mtime?: number): Buffer {
  const rootSegments = root === "/" ? [] : pathSegments(root);
  const entries: TarEntry[] = [];
  const dirs = new Set<string>();
  for (const file of files) {
    const segments = pathSegments(file.path);
    const inside = rootSegments.every((s, i) => segments[i] === s) && segments.length > rootSegments.length;
    if (!inside) throw new Error(`upload ${JSON.stringify(file.path)} is not below ${JSON.stringify(root)}`);
    const relative = segments.slice(rootSegments.length);
    for (let i = 1; i < relative.length; i++) {
      const dir = relative.slice(0, i).join("/");
      if (!dirs.has(dir)) {
        dirs.add(dir);
        entries.push({ path: dir, type: "dir", mode: 0o755 });
      }
    }
    entries.push({ path: relative.join("/"), type: "file", mode: file.mode, content: file.content });
  }
  return tarArchive(entries, mtime);
}

export { BLOCK };
