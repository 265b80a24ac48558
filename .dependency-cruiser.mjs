/**
 * `npm run lint`'s import-cycle check. dependency-cruiser, not eslint's import-x/no-cycle: it counts
 * type-only imports and re-exports too (tsPreCompilationDeps), so a circle that only types close,
 * erased at runtime but still tying two layers together, is caught as well.
 * @type {import('dependency-cruiser').IConfiguration}
 */
export default {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Modules read one way (model → checks → graph → store → runner → hosts): no import circle, type-only imports and re-exports included.",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    exclude: { path: "^(node_modules|dist|coverage|\\.outbox)/" },
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
