import { availableParallelism } from "node:os";
import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Integration tests pace Graph like production (1 CA request/s per tenant): allow for a loaded CI machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core CI machine. Most test files
    // spend their time waiting on simulators, Azurite, child processes and pacing, not on a core, so run at least three;
    // files isolate by tenant id or table name and each starts its own simulators on free ports.
    maxWorkers: Math.max(3, availableParallelism() - 1),
    projects: [
      {
        extends: true,
        // Pure rules: no simulator, no storage, no process-wide state. Loading the modules again for each of
        // ~140 small files cost more than their tests; they pass in any file order sharing one module graph.
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], isolate: false },
      },
      {
        extends: true,
        // The rest keep a fresh module graph per file: the Graph pacer and the caches are process-wide by design.
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "test/unit/**"],
          globalSetup: ["test/setup/global.ts"],
        },
      },
    ],
  },
});
