/** Two projects: `unit` is fast and mocked (npm run test:unit); `e2e` deploys for real (scripts/test.sh). */
const transform = { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] };
module.exports = {
  // A test that runs the whole program under mocks takes seconds on a slow or busy machine of ours, where
  // jest's default of 5 s failed (and 30 s did at a load of 20); a hung test still fails within two minutes.
  // E2E tests set their own.
  testTimeout: 120_000,
  // Jest's default on 2 cores is one worker; two roughly halve the unit run there (each test file spends most of
  // its time loading Pulumi's SDK, which waits on the disk as much as on the CPU).
  maxWorkers: 2,
  // Every failure again after the last suite, whatever the number of suites (jest's default summarises from 21):
  // CI shows only the tail of the run's output.
  reporters: [["default", { summaryThreshold: 0 }]],
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      roots: ["<rootDir>/test/unit"],
      transform,
      testMatch: ["**/*.test.ts"],
    },
    {
      displayName: "e2e",
      testEnvironment: "node",
      roots: ["<rootDir>/test/e2e"],
      transform,
      testMatch: ["**/*.e2e.test.ts"],
    },
  ],
};
