/** The tar writer of providers/docker-engine: ustar headers, checksums, long paths, parent directories. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BLOCK, pathSegments, tarArchive, uploadArchive } from "../../../providers/docker-engine";

/** Reads back the entries of an archive (what a tar reader does). */
function entries(archive: Buffer): { name: string; mode: number; size: number; type: string; content: string }[] {
  const out: { name: string; mode: number; size: number; type: string; content: string }[] = [];
  let pax: string | undefined;
  for (let offset = 0; offset + BLOCK <= archive.length; ) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) => header.subarray(start, start + length).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(field(124, 12), 8);
    const stored = parseInt(field(148, 8), 8);
    const sum = [...header].reduce((acc, b, i) => acc + (i >= 148 && i < 156 ? 32 : b), 0);
    expect(sum).toBe(stored);
    expect(field(257, 6)).toBe("ustar");
    const content = archive.subarray(offset + BLOCK, offset + BLOCK + size).toString("utf8");
    const type = field(156, 1);
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    if (type === "x") pax = /\d+ path=(.*)\n/.exec(content)?.[1];
    else {
      out.push({ name: pax ?? name, mode: parseInt(field(100, 8), 8), size, type, content });
      pax = undefined;
    }
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}

test("writes files and directories with ustar headers, valid checksums, padding and the end blocks", () => {
  const archive = tarArchive(
    [
      { path: "etc/app", type: "dir", mode: 0o755 },
      { path: "etc/app/app.conf", type: "file", mode: 0o644, content: Buffer.from("a=1\n") },
    ],
    1_700_000_000,
  );
  expect(archive.length % BLOCK).toBe(0);
  // header + dir, header + one content block, two zero blocks
  expect(archive.length).toBe(5 * BLOCK);
  expect(archive.subarray(archive.length - 2 * BLOCK).every((b) => b === 0)).toBe(true);
  expect(entries(archive)).toEqual([
    { name: "etc/app/", mode: 0o755, size: 0, type: "5", content: "" },
    { name: "etc/app/app.conf", mode: 0o644, size: 4, type: "0", content: "a=1\n" },
  ]);
  expect(archive.subarray(136, 147).toString()).toBe((1_700_000_000).toString(8).padStart(11, "0"));
});

test("splits paths over 100 bytes into prefix and name, and uses a PAX header beyond that", () => {
  const long = `${"d".repeat(90)}/${"f".repeat(60)}.txt`;
  const longer = `${"x".repeat(120)}${"y".repeat(120)}/file.txt`;
  const archive = tarArchive([
    { path: long, type: "file", mode: 0o600, content: Buffer.from("1") },
    { path: longer, type: "file", mode: 0o600, content: Buffer.from("2") },
  ]);
  expect(entries(archive).map((e) => [e.name, e.content])).toEqual([
    [long, "1"],
    [longer, "2"],
  ]);
});

test("an upload archive holds the missing parent directories below the extraction root, once each", () => {
  const archive = uploadArchive(
    "/opt",
    [
      { path: "/opt/app/conf/a.conf", content: Buffer.from("a"), mode: 0o644 },
      { path: "/opt/app/conf/b.sh", content: Buffer.from("b"), mode: 0o755 },
    ],
    0,
  );
  expect(entries(archive).map((e) => `${e.type} ${e.mode.toString(8)} ${e.name}`)).toEqual([
    "5 755 app/",
    "5 755 app/conf/",
    "0 644 app/conf/a.conf",
    "0 755 app/conf/b.sh",
  ]);
  expect(entries(uploadArchive("/", [{ path: "/x.txt", content: Buffer.from(""), mode: 0o644 }])).map((e) => e.name)).toEqual([
    "x.txt",
  ]);
  expect(() => uploadArchive("/etc", [{ path: "/opt/x", content: Buffer.from(""), mode: 0o644 }])).toThrow(
    'upload "/opt/x" is not below "/etc"',
  );
  expect(() => pathSegments("etc/x")).toThrow('upload path must be absolute, got "etc/x"');
  expect(() => pathSegments("/etc/../x")).toThrow("without");
});

const hasTar = (() => {
  try {
    execFileSync("tar", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

(hasTar ? test : test.skip)("the system's tar extracts it with the same content and modes", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "docker-engine-tar-"));
  try {
    const file = path.join(dir, "upload.tar");
    const deep = `/srv/${"n".repeat(80)}/${"m".repeat(80)}/run.sh`;
    fs.writeFileSync(file, uploadArchive("/", [
      { path: "/srv/app/app.conf", content: Buffer.from("hello\n"), mode: 0o644 },
      { path: deep, content: Buffer.from("#!/bin/sh\n"), mode: 0o755 },
    ]));
    const out = path.join(dir, "out");
    fs.mkdirSync(out);
    execFileSync("tar", ["-xf", file, "-C", out, "--no-same-owner"]);
    expect(fs.readFileSync(path.join(out, "srv/app/app.conf"), "utf8")).toBe("hello\n");
    expect(fs.statSync(path.join(out, deep)).mode & 0o777).toBe(0o755);
    expect(fs.statSync(path.join(out, "srv/app/app.conf")).mode & 0o777).toBe(0o644);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
