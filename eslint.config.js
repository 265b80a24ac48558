// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import importX from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", ".outbox/**", "test/fixtures/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    // The pure core must stay pure: no I/O, no clock.
    files: ["lib/checks/**/*.ts", "lib/drift/**/*.ts"],
    rules: {
      // Any depth (lib/checks/<id>/check.ts is a level deeper than lib/drift): no Graph, store or alerts, no Node or SDK I/O.
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            "node:*",
            "@azure/*",
            "@microsoft/*",
            "**/graph",
            "**/graph/**",
            "**/store",
            "**/store/**",
            "**/alerts",
            "**/alerts/**",
            "**/functions/**",
            "**/cli/**",
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Pass time in; the core has no clock." },
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: "Pass time in; the core has no clock." },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: "Pass randomness in." },
      ],
    },
  },
  {
    // lib/model re-exports the checks' registry (CheckId, CHECK_IDS): a value imported from lib/model, other than
    // its leaf facts.js, would be a runtime import cycle. Types are erased, so they are fine.
    files: ["lib/checks/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/model/*", "!**/model/facts.js"],
              allowTypeImports: true,
              message: "lib/model imports lib/checks/registry.ts: import only types from it, or values from model/facts.js.",
            },
          ],
        },
      ],
    },
  },
  {
    // The simulator speaks only Graph's wire format; it must not lean on the product.
    files: ["sim/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["../lib/*", "../../lib/*"] }] },
  },
  {
    // lib is the product's library: the hosts (the Functions app, the CLI) import it, never the reverse.
    files: ["lib/**/*.ts"],
    ignores: ["lib/checks/**/*.ts", "lib/drift/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["**/functions/**", "**/cli/**"] }] },
  },
  {
    // The store keeps rows; the Graph client is one of its users. The budget arithmetic both share lives in lib/budget.
    files: ["lib/store/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["**/functions/**", "**/cli/**", "**/graph", "**/graph/**"] }] },
  },
  {
    // No runtime import cycles: a module graph that reads one way (model → checks → graph → store
    // → runner → hosts). Type-only imports are erased at runtime and are not counted by the rule.
    files: ["**/*.ts"],
    plugins: { "import-x": importX },
    settings: { "import-x/resolver-next": [createTypeScriptImportResolver({ project: "tsconfig.json" })] },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    // Small files with one job: a source or test file over 300 lines is doing two. A long test file splits by
    // topic, its shared set-up in a *-helpers.ts beside it. No data-like test file needs to be longer
    // (test/fixtures is ignored above).
    files: ["lib/**/*.ts", "cli/**/*.ts", "functions/**/*.ts", "sim/**/*.ts", "bench/**/*.ts", "test/**/*.ts"],
    rules: { "max-lines": ["error", { max: 300 }] },
  },
  {
    // Prettier keeps code within 160 columns; this catches what it cannot wrap (strings, comments).
    files: ["**/*.ts", "**/*.js"],
    rules: { "max-len": ["error", { code: 160, ignoreUrls: true, ignoreRegExpLiterals: true }] },
  },
);
