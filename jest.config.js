/** Two projects: `unit` is fast and mocked (npm run test:unit); `e2e` deploys for real. */
const tsJest = ["ts-jest", { tsconfig: "tsconfig.json" }];
module.exports = {
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      roots: ["<rootDir>/test/unit"],
      transform: { "^.+\\.ts$": tsJest },
      testMatch: ["**/*.test.ts"],
    },
  ],
};
