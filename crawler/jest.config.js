/**
 * One Jest run covers unit and integration tests. The global setup starts a throwaway MariaDB from Debian's
 * package (test/mariadb.sh) unless CRAWLER_TEST_DB_PORT points at one already; integration tests also start the
 * fixture site on a random loopback port. All traffic stays on 127.0.0.1.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  globalSetup: "<rootDir>/test/helpers/global-setup.ts",
  globalTeardown: "<rootDir>/test/helpers/global-teardown.ts",
  testTimeout: 30000,
  maxWorkers: 2,
};
