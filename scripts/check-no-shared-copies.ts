/**
 * CI guard (.ci/run): no file under sim/ or test/ is a copy of the reference data in ../shared/data
 * (scripts/shared-copies.ts says what counts as a copy). Where ../shared is not beside the repository
 * (a developer's clone), it says so and passes.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { findSharedCopies } from "./shared-copies.js";

const repo = fileURLToPath(new URL("..", import.meta.url));
const shared = fileURLToPath(new URL("../../shared/data", import.meta.url));

if (!existsSync(shared)) {
  console.log(`shared copies: skipped (no ${shared} beside the repository)`);
} else {
  const copies = findSharedCopies(shared, repo);
  for (const c of copies) console.error(`${c.file}: ${c.match}`);
  if (copies.length > 0) {
    console.error(`shared copies: ${copies.length} file(s) under sim/ or test/ copy ${shared}; write the project's own data instead`);
    process.exitCode = 1;
  } else {
    console.log(`shared copies: none (sim/ and test/ checked against ${shared})`);
  }
}
