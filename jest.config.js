/** Two projects: `unit` is fast and mocked (npm run test:unit); `e2e` deploys for real (scripts/test.sh). */
const transform = { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] };
module.exports = {
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
