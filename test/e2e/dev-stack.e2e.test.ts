import { platformSuite } from "./support/platform-suite";

// The dev stack on this machine's Docker engine, with its images built locally.
describe("dev stack, for real (docker target)", () => {
  platformSuite({
    stack: "e2e-dev",
    baseStack: "dev",
    overrides: async () => ({}),
    crawlerCreates: 2, // Crawler component + container
    // One more worker container; the cluster-mode benchmark runs again (and the console gets its new Table 6).
    scaleChange: [
      { create: 1, replace: 1 },
      { create: 1, replace: 2 },
    ],
    consoleCountsSink: true,
    browser: true,
  });
});
