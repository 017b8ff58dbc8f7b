/** Two projects: `unit` is fast and mocked (npm run test:unit); `e2e` deploys for real (scripts/test.sh). */
const transform = { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] };
module.exports = {
  // A test that runs the whole program under mocks takes seconds on a slow or busy machine of ours, where
  // jest's default of 5 s failed; a hung test still fails within the half minute. E2E tests set their own.
  testTimeout: 30000,
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
