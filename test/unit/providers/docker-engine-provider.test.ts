/**
 * The docker-engine providers against a fake Docker engine (node:http on a Unix socket in a temp dir): API version
 * negotiation, create/read/delete flows, uploads, the health wait, cleanup after a failed start, retries while an
 * object is in use, and the providers' closure serialization (as pulumi.dynamic.Resource does it).
 */
import * as fs from "node:fs";
import * as http from "node:http";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as vm from "node:vm";
import * as pulumi from "@pulumi/pulumi";
import {
  BLOCK,
  containerProvider,
  dockerTiming,
  networkProvider,
  RawInputs,
  secretProvider,
  serviceConfigProvider,
  serviceProvider,
  volumeProvider,
} from "../../../providers/docker-engine";

const SECRET = "hunter2-Secret-Value";

interface FakeContainer {
  id: string;
  name: string;
  body: Record<string, unknown>;
  running: boolean;
  polls: number;
  uploads: { root: string; names: string[] }[];
}

class FakeEngine {
  apiVersion = "1.43";
  readonly requests: string[] = [];
  readonly networks = new Map<string, Record<string, unknown>>();
  readonly containers = new Map<string, FakeContainer>();
  /** DELETE answers "in use" this many times first. */
  busy = 0;
  /** Existing directories for HEAD .../archive. */
  readonly dirs = new Set(["/", "/etc", "/opt"]);
  failStart = false;
  private server?: http.Server;
  private next = 1;
  readonly socket: string;

  constructor(dir: string) {
    this.socket = path.join(dir, "docker.sock");
  }

  get host(): string {
    return `unix://${this.socket}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.handle(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.socket, resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private json(res: http.ServerResponse, status: number, body?: unknown): void {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(body === undefined ? "" : JSON.stringify(body));
  }

  private handle(req: http.IncomingMessage, raw: Buffer, res: http.ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://docker");
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (url.pathname === "/version") return this.json(res, 200, { ApiVersion: this.apiVersion });
    const m = /^\/v1\.41(\/.*)$/.exec(url.pathname);
    if (!m) return this.json(res, 400, { message: `unversioned or wrong version: ${url.pathname}` });
    const p = m[1];
    const body = raw.length && req.headers["content-type"] === "application/json" ? JSON.parse(raw.toString()) : undefined;
    let match: RegExpExecArray | null;

    if (req.method === "POST" && p === "/networks/create") {
      const id = `net${this.next++}`;
      this.networks.set(id, body);
      return this.json(res, 201, { Id: id });
    }
    if ((match = /^\/networks\/([^/]+)$/.exec(p))) {
      const id = match[1];
      if (!this.networks.has(id)) return this.json(res, 404, { message: `network ${id} not found` });
      if (req.method === "GET") return this.json(res, 200, { Name: this.networks.get(id)!.Name });
      if (this.busy-- > 0) return this.json(res, 403, { message: `error while removing network: network ${id} has active endpoints` });
      this.networks.delete(id);
      return this.json(res, 204);
    }
    if (req.method === "POST" && p === "/containers/create") {
      const name = url.searchParams.get("name") ?? "";
      if ([...this.containers.values()].some((c) => c.name === name)) return this.json(res, 409, { message: `Conflict. The container name "/${name}" is already in use` });
      if (body.Image === "absent:1") return this.json(res, 404, { message: "No such image: absent:1" });
      const id = `c${this.next++}`;
      this.containers.set(id, { id, name, body, running: false, polls: 0, uploads: [] });
      return this.json(res, 201, { Id: id });
    }
    if ((match = /^\/containers\/([^/]+)(\/[a-z]+)?$/.exec(p))) {
      const c = this.containers.get(match[1]);
      const action = `${req.method} ${match[2] ?? ""}`;
      if (!c) return this.json(res, 404, { message: `No such container: ${match[1]}` });
      if (action === "HEAD /archive") return this.json(res, this.dirs.has(url.searchParams.get("path") ?? "") ? 200 : 404);
      if (action === "PUT /archive") {
        c.uploads.push({ root: url.searchParams.get("path") ?? "", names: tarNames(raw) });
        return this.json(res, 200);
      }
      if (action === "POST /start") {
        if (this.failStart) return this.json(res, 500, { message: "driver failed programming external connectivity: port is already allocated" });
        c.running = true;
        return this.json(res, 204);
      }
      if (action === "POST /stop") {
        c.running = false;
        return this.json(res, 204);
      }
      if (action === "GET /json") {
        c.polls++;
        const behavior = (c.body.Labels as Record<string, string>)["test.behavior"];
        const status = behavior === "unhealthy" && c.polls > 2 ? "unhealthy" : c.polls > 2 ? "healthy" : "starting";
        return this.json(res, 200, {
          Name: `/${c.name}`,
          RestartCount: 0,
          State: {
            Status: "running",
            Running: c.running,
            Health: c.body.Healthcheck ? { Status: status, Log: [{ ExitCode: 1, Output: `probe saw ${SECRET}\n` }] } : undefined,
          },
        });
      }
      if (action === "GET /logs") {
        const text = Buffer.from(`booting with password ${SECRET}\nready\n`);
        const header = Buffer.alloc(8);
        header[0] = 1;
        header.writeUInt32BE(text.length, 4);
        res.writeHead(200, { "Content-Type": "application/vnd.docker.multiplexed-stream" });
        res.end(Buffer.concat([header, text]));
        return;
      }
      if (action === "DELETE ") {
        this.containers.delete(c.id);
        return this.json(res, 204);
      }
    }
    return this.json(res, 404, { message: `fake engine: no route ${req.method} ${p}` });
  }
}

/** Entry names of a tar archive. */
function tarNames(archive: Buffer): string[] {
  const names: string[] = [];
  for (let offset = 0; offset + BLOCK <= archive.length; ) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    names.push(header.subarray(0, 100).toString().replace(/\0.*$/s, ""));
    const size = parseInt(header.subarray(124, 136).toString().replace(/\0.*$/s, ""), 8);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return names;
}

async function rejection(promise: Promise<unknown>): Promise<Error & { id?: string; properties?: RawInputs; reasons?: string[] }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { id?: string };
  }
  throw new Error("expected a rejection");
}

let dir: string;
let engine: FakeEngine;
const savedTiming = { ...dockerTiming };

beforeAll(() => {
  Object.assign(dockerTiming, { pollMs: 10, busyRetryMs: 2_000, convergeStableMs: 0 });
});
afterAll(() => {
  Object.assign(dockerTiming, savedTiming);
});
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "docker-engine-"));
  engine = new FakeEngine(dir);
  await engine.start();
});
afterEach(async () => {
  await engine.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const box = (overrides: RawInputs = {}): RawInputs => ({
  dockerHost: engine.host,
  name: "box",
  image: "debian:12",
  envs: [`PASSWORD=${SECRET}`],
  uploads: [{ file: "/opt/app/conf/app.conf", content: `password=${SECRET}\n` }, { file: "/etc/run.sh", content: "#!/bin/sh\n", executable: true }],
  healthcheck: { tests: ["CMD", "true"], interval: "1s" },
  wait: true,
  waitTimeout: 5,
  destroyGraceSeconds: 7,
  ...overrides,
});

describe("network", () => {
  test("negotiates the API version down to 1.41, creates, reads, and deletes retrying while in use", async () => {
    const created = await networkProvider.create({ dockerHost: engine.host, name: "n1", driver: "overlay", attachable: true, labels: [{ label: "a", value: "b" }] });
    expect(engine.networks.get(created.id)).toEqual({ Name: "n1", Driver: "overlay", Attachable: true, Labels: { a: "b" }, CheckDuplicate: true });
    expect(engine.requests.filter((r) => r !== "GET /version").every((r) => r.includes("/v1.41/"))).toBe(true);
    const read = await networkProvider.read!(created.id, created.outs);
    expect(read).toMatchObject({ id: created.id, props: { name: "n1" } });
    engine.busy = 2;
    await networkProvider.delete!(created.id, created.outs);
    expect(engine.networks.size).toBe(0);
    expect(engine.requests.filter((r) => r.startsWith("DELETE"))).toHaveLength(3);
    await expect(networkProvider.delete!(created.id, created.outs)).resolves.toBeUndefined();
    expect(await networkProvider.read!(created.id, created.outs)).toEqual({});
  });

  test("refuses an engine older than API 1.30", async () => {
    engine.apiVersion = "1.25";
    const error = await rejection(networkProvider.create({ dockerHost: engine.host, name: "n1" }));
    expect(error.message).toContain("speaks API 1.25; at least 1.30 is needed");
  });

  test("names an engine it cannot reach", async () => {
    const error = await rejection(networkProvider.create({ dockerHost: `unix://${dir}/absent.sock`, name: "n1" }));
    expect(error.message).toMatch(/docker-engine Network "n1": creating failed: cannot reach the Docker engine at unix:\/\/.*absent\.sock .*ENOENT/);
  });
});

describe("container", () => {
  test("creates, uploads below the deepest existing directory, starts and waits until healthy", async () => {
    const created = await containerProvider.create(box());
    const c = engine.containers.get(created.id)!;
    expect(c.running).toBe(true);
    expect(c.uploads).toEqual([
      { root: "/opt", names: ["app/", "app/conf/", "app/conf/app.conf"] },
      { root: "/etc", names: ["run.sh"] },
    ]);
    expect(c.body.Env).toEqual([`PASSWORD=${SECRET}`]);
    expect(created.outs).toMatchObject({ name: "box", envs: [`PASSWORD=${SECRET}`] });
    expect(c.polls).toBeGreaterThanOrEqual(3);
  });

  test("an unhealthy container fails with healthcheck output and logs, secrets masked, and stays recorded", async () => {
    const error = await rejection(containerProvider.create(box({ labels: [{ label: "test.behavior", value: "unhealthy" }] })));
    expect(error.message).toContain('container "box" did not become healthy: it became unhealthy');
    expect(error.message).toContain("exit 1: probe saw [secret]");
    expect(error.message).toContain("booting with password [secret]");
    expect(error.message).not.toContain(SECRET);
    expect(error.stack).not.toContain(SECRET);
    expect(error.reasons?.join("")).not.toContain(SECRET);
    expect(error.id).toBeDefined();
    expect(engine.containers.has(error.id!)).toBe(true);
    expect(error.properties).toMatchObject({ name: "box" });
  });

  test("a failed start removes the container again; a missing image is named", async () => {
    engine.failStart = true;
    const error = await rejection(containerProvider.create(box()));
    expect(error.message).toContain("port is already allocated");
    expect(error.id).toBeUndefined();
    expect(engine.containers.size).toBe(0);
    const missing = await rejection(containerProvider.create(box({ image: "absent:1" })));
    expect(missing.message).toContain('image "absent:1" is not on the Docker host');
  });

  test("a name already in use fails with the engine's message", async () => {
    await containerProvider.create(box({ wait: false }));
    const error = await rejection(containerProvider.create(box({ wait: false })));
    expect(error.message).toContain('HTTP 409 to POST /containers/create: Conflict. The container name "/box" is already in use');
  });

  test("delete stops with destroyGraceSeconds, removes with v and force; 404 is already gone; read then has no id", async () => {
    const created = await containerProvider.create(box({ wait: false }));
    await containerProvider.delete!(created.id, created.outs);
    expect(engine.requests).toContain(`POST /v1.41/containers/${created.id}/stop?t=7`);
    expect(engine.requests).toContain(`DELETE /v1.41/containers/${created.id}?v=true&force=true`);
    await expect(containerProvider.delete!(created.id, created.outs)).resolves.toBeUndefined();
    expect(await containerProvider.read!(created.id, created.outs)).toEqual({});
  });

  test("update (wait settings, or a retry after an initialization error) starts and waits again", async () => {
    const created = await containerProvider.create(box({ wait: false }));
    engine.containers.get(created.id)!.running = false;
    const updated = await containerProvider.update!(created.id, created.outs, box({ waitTimeout: 9 }));
    expect(updated.outs).toMatchObject({ waitTimeout: 9 });
    expect(engine.containers.get(created.id)!.running).toBe(true);
  });
});

/** What pulumi.dynamic.Resource does with its provider (serializeFunctionMaybeSecret in @pulumi/pulumi/dynamic). */
function serializeLikeTheSdk(provider: pulumi.dynamic.ResourceProvider) {
  return pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
}

/** What pulumi-resource-pulumi-nodejs does: require the text as a module and call handler(). */
function deserialize(text: string): pulumi.dynamic.ResourceProvider {
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {\n${text}\n})`) as (
    e: unknown,
    r: NodeRequire,
    m: unknown,
    f: string,
    d: string,
  ) => void;
  wrapper(module.exports, createRequire(__filename), module, __filename, __dirname);
  return (module.exports.handler as () => pulumi.dynamic.ResourceProvider)();
}

describe("serialization (as pulumi.dynamic.Resource does it)", () => {
  test("every provider serializes without secrets or hosts, and works after deserialization", async () => {
    // Let secrets flow through the modules first: nothing may have captured them.
    await containerProvider.create(box({ name: "warm-up", wait: false }));
    const providers = { networkProvider, volumeProvider, containerProvider, serviceProvider, serviceConfigProvider, secretProvider };
    const texts: Record<string, string> = {};
    for (const [name, provider] of Object.entries(providers)) {
      const serialized = await serializeLikeTheSdk(provider);
      expect(serialized.exportName).toBe("handler");
      expect(serialized.containsSecrets).toBe(false);
      expect(serialized.text).not.toContain(SECRET);
      expect(serialized.text).not.toContain(dir);
      // Built-in modules are required, not copied; @pulumi/pulumi is not needed at run time.
      expect(serialized.text).not.toContain("@pulumi/pulumi");
      texts[name] = serialized.text;
    }
    expect(texts.containerProvider).toMatch(/require\("http"\)/);

    const network = deserialize(texts.networkProvider);
    const checked = await network.check!({}, { dockerHost: engine.host, autoNameBase: "net", labels: [] });
    expect(checked.inputs?.name).toMatch(/^net-[0-9a-f]{7}$/);
    const created = await network.create(checked.inputs);
    expect(engine.networks.get(created.id)).toMatchObject({ Name: checked.inputs?.name });
    expect((await network.diff!(created.id, created.outs, { ...checked.inputs, driver: "overlay" })).replaces).toEqual(["driver"]);
    await network.delete!(created.id, created.outs);
    expect(engine.networks.size).toBe(0);

    const containers = deserialize(texts.containerProvider);
    const made = await containers.create(box({ name: "from-serialized" }));
    expect(engine.containers.get(made.id)?.uploads).toHaveLength(2);
  }, 60_000); // serializing six providers takes a few seconds of CPU
});
