// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", ".deploy/**", "node_modules/**", "coverage/**", ".outbox/**", "test/fixtures/**"] },
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
    // The model is what is stored, and stored rows outlive the checks: it knows no check, not even a type
    // (check ids are plain strings there). lib/checks narrows them (registry.ts isCheckId).
    files: ["lib/model/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/checks", "**/checks/**"],
              allowTypeImports: false,
              message: "lib/model must not import lib/checks (types included): stored rows carry check ids as plain strings.",
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
