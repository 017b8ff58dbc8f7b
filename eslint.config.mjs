// ESLint flat config (issue 13, item 5). Syntax-only rules: @eslint/js recommended plus typescript-eslint's
// recommended set, without the type-aware rules, so a run stays fast. Run through `npm run lint` (scripts/lint.sh).
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    // Dependencies, build output and generated or cached files; bootstrap caches live outside the tree
    // (${BIGDATA_CACHE_DIR:-~/.cache/bigdata-platform}), its in-tree scratch under .build/.
    ignores: ["**/node_modules/", "**/dist/", "bin/", "**/.build/", ".pulumi-state/", "**/coverage/", "**/*.d.ts"],
  },
  {
    // What is linted: the program, its tests, tools and scripts, the crawler package, and a policy/ package if
    // one is added (it may carry its own package.json; these rules apply to it all the same).
    files: ["**/*.ts", "**/*.mts", "**/*.cts", "**/*.js", "**/*.mjs", "**/*.cjs"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    // CommonJS configuration files (jest.config.js and the like) run under Node.
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        module: "writable",
        exports: "writable",
        require: "readonly",
        __dirname: "readonly",
        __filename: "readonly",
        process: "readonly",
      },
    },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { sourceType: "module", globals: { process: "readonly", console: "readonly" } },
  },
);
