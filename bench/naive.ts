/**
 * The same tenants the way a hand-written script would check them: one tenant after another,
 * a token per tenant, the account looked up by UPN, then one GET per fact (no `$batch`), next
 * links followed, and a 429 answered by sleeping Retry-After (or 2 s without one) and trying
 * again. Graph only: no store, no pacing. Stops after `maxSeconds` so a large N stays bounded.
 */
import { FACTS, accountUrl, factUrl } from "../lib/graph/facts/index.js";
import type { FactKey } from "../lib/model/facts.js";

interface NaiveResult {
  readonly tenantsChecked: number;
  readonly seconds: number;
  readonly requests: number;
  readonly throttled: number;
  readonly stoppedEarly: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function runNaive(
  simUrl: string,
  tenants: readonly { readonly tenantId: string; readonly account: string }[],
  options: { readonly maxSeconds: number; readonly lookbackHours: number },
): Promise<NaiveResult> {
  const started = Date.now();
  let requests = 0;
  let throttled = 0;
  let checked = 0;

  const get = async (token: string, version: string, url: string): Promise<unknown> => {
    for (let attempt = 0; attempt < 6; attempt += 1) {
      requests += 1;
      const res = await fetch(`${simUrl}/${version}${url}`, { headers: { Authorization: `Bearer ${token}` } });
      const body: unknown = await res.json().catch(() => undefined);
      if (res.status !== 429) return body;
      throttled += 1;
      await sleep(Number(res.headers.get("retry-after") ?? "2") * 1000);
    }
    return undefined;
  };

  for (const t of tenants) {
    if ((Date.now() - started) / 1000 >= options.maxSeconds) break;
    requests += 1;
    const tokenRes = await fetch(`${simUrl}/${t.tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: "naive-script",
        client_secret: "naive",
        scope: "https://graph.microsoft.com/.default",
      }),
    });
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;
    const user = (await get(token, "v1.0", accountUrl(t.account))) as { id?: string } | undefined;
    const ctx = { objectId: user?.id ?? "", signInsSince: new Date(Date.now() - options.lookbackHours * 3_600_000).toISOString() };
    for (const key of Object.keys(FACTS) as FactKey[]) {
      if (key === "account") continue;
      let next: string | undefined = factUrl(key, ctx);
      while (next) {
        const page = (await get(token, FACTS[key].version, next)) as { "@odata.nextLink"?: string } | undefined;
        const link = page?.["@odata.nextLink"];
        next = link ? link.slice(link.indexOf(`/${FACTS[key].version}/`) + FACTS[key].version.length + 1) : undefined;
      }
    }
    checked += 1;
  }
  return { tenantsChecked: checked, seconds: (Date.now() - started) / 1000, requests, throttled, stoppedEarly: checked < tenants.length };
}
