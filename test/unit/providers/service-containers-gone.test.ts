/**
 * ServiceContainersGone against a fake Docker engine (node:http on 127.0.0.1 or on a Unix socket) whose container
 * list for the service shrinks as the test decides.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { dockerEndpoint } from "../../../model/docker-host";
import { guardProvider, waitUntilGone } from "../../../providers/docker-node/service-containers-gone";
import { loadLikeTheProviderHost, serializeLikeTheSdk } from "../support/serialized-provider";

class FakeEngine {
  /** Answers of successive list calls; the last one repeats. */
  answers: string[][] = [[]];
  readonly filters: string[] = [];
  private server?: http.Server;

  async listen(where: { port: number } | { socketPath: string }): Promise<string> {
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://engine");
      if (req.method !== "GET" || url.pathname !== "/containers/json") {
        res.writeHead(404).end('{"message":"page not found"}');
        return;
      }
      this.filters.push(url.searchParams.get("filters") ?? "");
      const names = this.answers.length > 1 ? this.answers.shift()! : this.answers[0];
      res
        .writeHead(200, { "Content-Type": "application/json" })
        .end(JSON.stringify(names.map((n) => ({ Id: `id-${n}`, Names: [`/${n}`] }))));
    });
    this.server = server;
    if ("socketPath" in where) {
      await new Promise<void>((resolve) => server.listen(where.socketPath, resolve));
      return `unix://${where.socketPath}`;
    }
    await new Promise<void>((resolve) => server.listen(where.port, "127.0.0.1", resolve));
    return `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

const guard = (dockerHost: string, timeoutSeconds = 5) => ({
  dockerHost,
  nodeName: "node-2",
  serviceName: "bigdata-kafka-2",
  timeoutSeconds,
});

describe("dockerEndpoint", () => {
  test("reads tcp and unix addresses", () => {
    expect(dockerEndpoint("tcp://10.0.0.12:2375")).toEqual({ hostname: "10.0.0.12", port: 2375 });
    expect(dockerEndpoint("tcp://[fd00::12]:2375")).toEqual({ hostname: "fd00::12", port: 2375 });
    expect(dockerEndpoint("unix:///var/run/docker.sock")).toEqual({ socketPath: "/var/run/docker.sock" });
  });

  test.each(["ssh://admin@node-2", "tcp://node-2", "https://node-2:2376", "node-2:2375", "tcp://node-2:70000"])(
    "refuses %s, naming the allowed forms",
    (host) => {
      expect(() => dockerEndpoint(host)).toThrow(`Docker host '${host}' is not tcp://HOST:PORT or unix:///PATH/TO/docker.sock`);
    },
  );
});

describe("ServiceContainersGone", () => {
  let engine: FakeEngine;
  let host: string;
  beforeEach(async () => {
    engine = new FakeEngine();
    host = await engine.listen({ port: 0 });
  });
  afterEach(() => engine.stop());

  test("deletion waits until the node lists no container of the service", async () => {
    engine.answers = [["bigdata-kafka-2.1.abc"], ["bigdata-kafka-2.1.abc"], []];
    await waitUntilGone(guard(host), 10);
    expect(engine.filters).toHaveLength(3);
    expect(JSON.parse(engine.filters[0])).toEqual({ label: ["com.docker.swarm.service.name=bigdata-kafka-2"] });
  });

  test("after the timeout, deletion fails naming the service, node and containers left", async () => {
    engine.answers = [["bigdata-kafka-2.1.abc"]];
    await expect(waitUntilGone(guard(host, 0.05), 10)).rejects.toThrow(
      "service bigdata-kafka-2 on node node-2 (" +
        host +
        "): its containers bigdata-kafka-2.1.abc are still there after 0.05 s, so the volumes it mounts there cannot be removed yet. Run `pulumi destroy` again once they have stopped.",
    );
  });

  test("an engine that does not answer fails deletion after the timeout with the reason", async () => {
    await engine.stop();
    await expect(waitUntilGone(guard(host, 0.05), 10)).rejects.toThrow(/its Docker API did not answer \(.*ECONNREFUSED.*\) after 0.05 s/);
  });

  test("reaches an engine on a Unix socket", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-"));
    const socketEngine = new FakeEngine();
    socketEngine.answers = [["c1"], []];
    try {
      const socketHost = await socketEngine.listen({ socketPath: path.join(dir, "docker.sock") });
      await waitUntilGone(guard(socketHost), 10);
      expect(socketEngine.filters).toHaveLength(2);
    } finally {
      await socketEngine.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("check names the input that is wrong: a Docker host it could not poll, no timeout", async () => {
    const checked = await guardProvider.check!({}, guard("ssh://admin@node-2"));
    expect(checked.failures).toEqual([
      { property: "dockerHost", reason: "Docker host 'ssh://admin@node-2' is not tcp://HOST:PORT or unix:///PATH/TO/docker.sock" },
    ]);
    const noTimeout = await guardProvider.check!({}, { ...guard("tcp://10.0.0.12:2375"), timeoutSeconds: 0 });
    expect(noTimeout.failures).toEqual([{ property: "timeoutSeconds", reason: "timeoutSeconds must be a positive number" }]);
  });

  test("a new service or node replaces the guard; a new timeout updates it", async () => {
    const olds = guard(host);
    expect(await guardProvider.diff!("x", olds, { ...olds, timeoutSeconds: 70 })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(await guardProvider.diff!("x", olds, { ...olds, serviceName: "other" })).toMatchObject({
      changes: true,
      replaces: ["serviceName"],
    });
    expect(await guardProvider.diff!("x", olds, { ...olds })).toMatchObject({ changes: false });
  });

  test("the provider serializes as the SDK does it and deletes after deserialization", async () => {
    const provider = loadLikeTheProviderHost((await serializeLikeTheSdk(guardProvider)).text);

    const created = await provider.create(guard(host));
    expect(created.id).toBe("bigdata-kafka-2@node-2");
    engine.answers = [["bigdata-kafka-2.1.abc"], []];
    await provider.delete!(created.id, created.outs);
    expect(engine.filters).toHaveLength(2);
  });
});
