import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../log";
import type { Metrics } from "../metrics";
import type { HealthCheck } from "./health";

/**
 * The operations endpoint: GET /healthz (200 healthy, 503 not, JSON details either way) for container
 * healthchecks, and GET /metrics in Prometheus text format. Nothing else is served.
 */
export function startOpsServer(host: string, port: number, health: HealthCheck, metrics: Metrics, log: Logger): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/healthz") {
      health
        .report()
        .then((report) => {
          res.writeHead(report.ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(report));
        })
        .catch((err) => {
          res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ ok: false, error: String(err) }));
        });
      return;
    }
    if (path === "/metrics") {
      metrics.registry
        .metrics()
        .then((text) => res.writeHead(200, { "content-type": metrics.registry.contentType }).end(text))
        .catch((err) => res.writeHead(500).end(String(err)));
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  });
  // Healthchecks open a connection per probe; do not let idle keep-alive sockets hold shutdown up.
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      log.info("ops endpoint listening", { host, port: address.port, paths: ["/healthz", "/metrics"] });
      resolve(server);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections?.();
  });
}
