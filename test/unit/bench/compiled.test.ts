import { describe, expect, it } from "vitest";
import { nodeFlagsWithoutTsx } from "../../../bench/compiled.js";

describe("nodeFlagsWithoutTsx: a compiled worker keeps the operator's Node flags, not tsx's", () => {
  const cases: { name: string; execArgv: string[]; kept: string[] }[] = [
    {
      name: "what the tsx CLI adds",
      execArgv: ["--require", "/repo/node_modules/tsx/dist/preflight.cjs", "--import", "file:///repo/node_modules/tsx/dist/loader.mjs"],
      kept: [],
    },
    { name: "node --import tsx, with a heap limit", execArgv: ["--max-old-space-size=128", "--import", "tsx"], kept: ["--max-old-space-size=128"] },
    { name: "the joined form", execArgv: ["--import=tsx", "--expose-gc"], kept: ["--expose-gc"] },
    { name: "tsx's subpath loader", execArgv: ["--loader", "tsx/esm", "--trace-warnings"], kept: ["--trace-warnings"] },
    { name: "another preload stays", execArgv: ["-r", "./otel.cjs", "--import=./setup.mjs"], kept: ["-r", "./otel.cjs", "--import=./setup.mjs"] },
    { name: "a Windows path to tsx", execArgv: ["--import", "file:///C:\\repo\\node_modules\\tsx\\dist\\loader.mjs"], kept: [] },
    { name: "nothing", execArgv: [], kept: [] },
  ];
  it.each(cases)("$name", ({ execArgv, kept }) => {
    expect(nodeFlagsWithoutTsx(execArgv)).toEqual(kept);
  });
});
