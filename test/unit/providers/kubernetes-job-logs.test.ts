/**
 * JobLogs against a fake API server (node:http on 127.0.0.1): the kubeconfig it reads, the pod it picks, the
 * token it sends, and the provider as the SDK serializes it and the provider host loads it.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { jobLogsProvider, readJobLogs } from "../../../providers/kubernetes-job/job-logs";
import { endpointOf } from "../../../providers/kubernetes-job/kube-api";
import { loadLikeTheProviderHost, serializeLikeTheSdk } from "../support/serialized-provider";

const uid = "0b7f-job-uid";
const pod = (name: string, phase: string, created: string, owner = uid) => ({
  metadata: { name, creationTimestamp: created, ownerReferences: [{ uid: owner }] },
  status: { phase },
});

let server: http.Server;
let url = "";
const requests: { path: string; auth?: string }[] = [];
let pods: unknown[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? "", auth: req.headers.authorization });
    const u = new URL(req.url ?? "/", "http://api");
    if (u.pathname === "/api/v1/namespaces/bench/pods") {
      // Kubernetes 1.27+ labels a Job's pods with both; the older label is asked only when the newer finds none.
      const found = ["batch.kubernetes.io/job-name=benchmark-local-x1", "job-name=benchmark-local-x1"].includes(
        u.searchParams.get("labelSelector") ?? "",
      );
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ items: found ? pods : [] }));
    } else if (u.pathname.startsWith("/api/v1/namespaces/bench/pods/") && u.pathname.endsWith("/log")) {
      res
        .writeHead(200, { "Content-Type": "text/plain" })
        .end(`output of ${u.pathname.split("/")[6]} (${u.searchParams.get("container")})\nBENCHMARK_RESULT {}\n`);
    } else {
      res.writeHead(404).end('{"kind":"Status","message":"not found"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  requests.length = 0;
});

const kubeconfig = () => `
apiVersion: v1
kind: Config
current-context: test
contexts:
  - name: test
    context: { cluster: fake, user: admin }
  - name: other
    context: { cluster: elsewhere, user: admin }
clusters:
  - name: fake
    cluster: { server: "${url}/" }
  - name: elsewhere
    cluster: { server: "https://10.0.0.1:6443", insecure-skip-tls-verify: true }
users:
  - name: admin
    user: { token: secret-token }
`;
const inputs = () => ({ namespace: "bench", jobName: "benchmark-local-x1", jobUid: uid, container: "benchmark", kubeconfig: kubeconfig() });

test("reads the succeeded pod of this very Job, with the kubeconfig's token", async () => {
  pods = [
    pod("benchmark-local-x1-old", "Succeeded", "2026-01-01T00:00:00Z", "another-uid"),
    pod("benchmark-local-x1-a", "Failed", "2026-01-01T00:01:00Z"),
    pod("benchmark-local-x1-b", "Succeeded", "2026-01-01T00:00:30Z"),
  ];
  expect(await readJobLogs(inputs())).toBe("output of benchmark-local-x1-b (benchmark)\nBENCHMARK_RESULT {}\n");
  expect(requests.every((r) => r.auth === "Bearer secret-token")).toBe(true);
});

test("a Job with no pod left is an error naming it", async () => {
  pods = [];
  await expect(readJobLogs(inputs())).rejects.toThrow(
    "Job bench/benchmark-local-x1 (uid 0b7f-job-uid) has no pod left to read its output from",
  );
});

test("the kubeconfig comes from $KUBECONFIG when none is given, and another context can be chosen", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeconfig-"));
  const file = path.join(dir, "config");
  fs.writeFileSync(file, kubeconfig());
  const before = process.env.KUBECONFIG;
  process.env.KUBECONFIG = `${path.join(dir, "missing")}${path.delimiter}${file}`;
  try {
    pods = [pod("benchmark-local-x1-b", "Succeeded", "2026-01-01T00:00:30Z")];
    const { kubeconfig: _, ...ambient } = inputs();
    expect(await readJobLogs(ambient)).toContain("output of benchmark-local-x1-b");
    expect(endpointOf(kubeconfig(), file, "other")).toMatchObject({
      server: "https://10.0.0.1:6443",
      insecure: true,
      token: "secret-token",
    });
  } finally {
    process.env.KUBECONFIG = before;
    fs.rmSync(dir, { recursive: true });
  }
});

test("exec and auth-provider users are refused with what to use instead", () => {
  const withExec = kubeconfig().replace("user: { token: secret-token }", "user: { exec: { command: aws } }");
  expect(() => endpointOf(withExec, "/home/me/.kube/config")).toThrow(
    '/home/me/.kube/config: user "admin" authenticates with an exec or auth-provider plugin',
  );
});

test("the provider, serialized as the SDK does and loaded as the provider host does, reads the logs on create", async () => {
  pods = [pod("benchmark-local-x1-b", "Succeeded", "2026-01-01T00:00:30Z")];
  const text = await serializeLikeTheSdk(jobLogsProvider);
  const provider = loadLikeTheProviderHost(text.text);
  const created = await provider.create!(inputs());
  expect(created.id).toBe(`bench/benchmark-local-x1/${uid}`);
  expect(created.outs.logs).toContain("BENCHMARK_RESULT");
});

test("a new Job replaces the logs; another kubeconfig only updates how they are reached", async () => {
  const olds = { ...inputs(), logs: "old" };
  expect(await jobLogsProvider.diff!("id", olds, { ...inputs(), jobUid: "new-uid" })).toMatchObject({
    changes: true,
    replaces: ["jobUid"],
  });
  expect(await jobLogsProvider.diff!("id", olds, { ...inputs(), kubeconfig: "other" })).toMatchObject({ changes: true, replaces: [] });
  expect(await jobLogsProvider.diff!("id", olds, inputs())).toMatchObject({ changes: false });
  expect((await jobLogsProvider.update!("id", olds, { ...inputs(), kubeconfig: "other" })).outs?.logs).toBe("old");
});

test("a preview of a new Job (no uid yet) passes the check; a wrong value does not", async () => {
  const { jobUid: _, ...unknownUid } = inputs();
  expect((await jobLogsProvider.check!({}, unknownUid)).failures).toBeUndefined();
  expect((await jobLogsProvider.check!({}, { ...inputs(), container: "" })).failures).toEqual([
    { property: "container", reason: "JobLogs: container must be a non-empty string" },
  ]);
});
