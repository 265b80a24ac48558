/** Helpers shared by the simulator's integration tests: authorised fetches of Graph JSON. */
import type { RunningSimulator } from "../../sim/server.js";

interface JsonResponse {
  status: number;
  headers: Headers;
  // Tests read the documented wire shape field by field; `unknown` would only add casts.
  body: Record<string, unknown>;
}

export async function getJson(sim: RunningSimulator, tenantId: string, path: string): Promise<JsonResponse> {
  const res = await fetch(path.startsWith("https://") ? path : `${sim.url}${path}`, {
    headers: { Authorization: `Bearer ${sim.mintToken(tenantId)}` },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function postJson(sim: RunningSimulator, tenantId: string | undefined, path: string, body: unknown): Promise<JsonResponse> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (tenantId) headers.Authorization = `Bearer ${sim.mintToken(tenantId)}`;
  const res = await fetch(`${sim.url}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export async function batch(
  sim: RunningSimulator,
  tenantId: string,
  version: "v1.0" | "beta",
  urls: string[],
): Promise<{ status: number; responses: BatchResponse[] }> {
  const res = await postJson(sim, tenantId, `/${version}/$batch`, {
    requests: urls.map((url, i) => ({ id: String(i + 1), method: "GET", url })),
  });
  return { status: res.status, responses: (res.body.responses ?? []) as BatchResponse[] };
}
