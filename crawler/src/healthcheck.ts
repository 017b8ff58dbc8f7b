import { get } from "node:http";

/**
 * Container healthcheck: exits 0 when the crawler's /healthz answers 200 within 2.5 s, else 1. A script rather
 * than curl/wget keeps the image free of extra packages; it reads the same env vars as the service.
 */
const port = Number(process.env.CRAWLER_HTTP_PORT || 9464);
const bound = process.env.CRAWLER_HTTP_HOST || "0.0.0.0";
// A wildcard bind is reachable on loopback; a specific address must be asked directly.
const host = bound === "0.0.0.0" || bound === "::" ? "127.0.0.1" : bound;

const req = get({ host, port, path: "/healthz", timeout: 2500 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on("timeout", () => {
  req.destroy();
  process.exit(1);
});
req.on("error", () => process.exit(1));
