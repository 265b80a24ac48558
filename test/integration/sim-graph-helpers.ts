/** Set-up shared by the sim-graph-*.test.ts files: one simulator on a fixed clock, and a reader that follows every page. */
import { afterAll, beforeAll, expect } from "vitest";
import { startTestSimulator } from "../../sim/testing.js";
import type { RunningSimulator } from "../../sim/server.js";
import { getJson } from "./sim-helpers.js";

export const GA = "62e90394-69f5-4237-9190-012177145e10";
export type Obj = Record<string, unknown>;

export let sim: RunningSimulator;
export const now = new Date("2026-03-10T12:00:00Z");

/** Registers the simulator every test file of this group shares. */
export function useSimulator(): void {
  beforeAll(async () => {
    sim = await startTestSimulator({ now: () => now });
  });
  afterAll(() => sim.stop());
}

/** Follows @odata.nextLink to the end; returns the items and the number of pages. */
export async function all(tenantId: string, path: string): Promise<{ items: Obj[]; pages: number; links: string[] }> {
  const items: Obj[] = [];
  const links: string[] = [];
  let next: string | undefined = path;
  let pages = 0;
  while (next) {
    const res = await getJson(sim, tenantId, next);
    expect(res.status).toBe(200);
    items.push(...(res.body.value as Obj[]));
    pages += 1;
    next = res.body["@odata.nextLink"] as string | undefined;
    if (next) links.push(next);
  }
  return { items, pages, links };
}
