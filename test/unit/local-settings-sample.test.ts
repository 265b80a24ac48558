/** The sample a developer copies to local.settings.json must name real settings and load cleanly. */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { ALL_SETTING_NAMES, BINDING_SETTINGS, SETTING_LOADERS } from "../../lib/config/names.js";

const sample = JSON.parse(readFileSync(new URL("../../local.settings.sample.json", import.meta.url), "utf8")) as {
  Values: Record<string, string>;
};
const HOST_OWN = new Set(["FUNCTIONS_WORKER_RUNTIME"]);

describe("local.settings.sample.json", () => {
  it("sets only settings the product or the host reads", () => {
    const unknown = Object.keys(sample.Values).filter((k) => !HOST_OWN.has(k) && !(ALL_SETTING_NAMES as readonly string[]).includes(k));
    expect(unknown).toEqual([]);
  });

  it("sets every %NAME% binding, which the host cannot default", () => {
    for (const name of Object.keys(BINDING_SETTINGS)) expect(sample.Values[name], name).toBeTruthy();
  });

  it("loads with every settings loader", () => {
    for (const { load } of SETTING_LOADERS) expect(() => load(sample.Values)).not.toThrow();
  });
});
