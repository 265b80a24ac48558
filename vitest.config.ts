import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/global.ts"],
    // Integration tests pace Graph like production (1 CA request/s per tenant): allow for a loaded CI machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core CI machine. Most test files
    // spend their time waiting on simulators, Azurite, child processes and pacing, not on a core, so run at least three;
    // files isolate by tenant id or table name and each starts its own simulators on free ports.
    maxWorkers: Math.max(3, availableParallelism() - 1),
  },
});
