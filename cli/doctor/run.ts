/**
 * The doctor's imperative shell: get a token, then send each probe alone through the product's
 * own Graph client (the transport), one after another (the doctor is for one tenant, and going
 * one at a time keeps it under Graph's per-tenant budgets). Everything it decides is in the pure
 * modules beside it; what it talks to is injected.
 */
import type { TokenCredential } from "@azure/identity";
import { z } from "zod";
import { GRAPH_SCOPE } from "../../lib/graph/client.js";
import type { Transport } from "../../lib/graph/transport.js";
import { classifyProbe, type ProbeAnswer } from "./classify.js";
import { adminConsentUrl } from "./consent-url.js";
import { PLACEHOLDER_OBJECT_ID, accountProbe, factProbes, whatIfProbe, type Probe } from "./probes.js";
import { summariseLicences, summarisePermissions, verdict, type WhatIfProbeAnswer } from "./summarise.js";
import { WHAT_IF } from "../../lib/graph/facts/what-if.js";
import { tokenFailure } from "./token.js";
import { tokenRoles } from "../../lib/graph/jwt.js";
import type { DoctorReport, ProbeResult, TokenResult } from "./types.js";
import { errorMessage } from "../../lib/errors/text.js";

interface DoctorTarget {
  readonly tenantId: string;
  /** The connection account (UPN or object id); without it a placeholder id stands in. */
  readonly accountRef?: string;
  /** The multi-tenant app's client id, for the consent link in the fixes. */
  readonly clientId?: string;
  readonly authorityHost?: string;
}

interface DoctorDeps {
  /** The tenant's credential: the same instance the client authenticates with. */
  readonly credential: TokenCredential;
  readonly transport: Transport;
  readonly now: Date;
}

const accountBody = z.object({ id: z.string().min(1) });

async function send(transport: Transport, probe: Probe): Promise<ProbeAnswer> {
  try {
    return { kind: "answer", answer: await transport.get(probe.spec.version, probe.url) };
  } catch (error) {
    return { kind: "thrown", message: errorMessage(error) };
  }
}

/** The What If probe (the cross-check's optional permission): one POST, its status only. */
async function sendWhatIf(transport: Transport, objectId: string): Promise<WhatIfProbeAnswer> {
  const probe = whatIfProbe(objectId);
  try {
    return { status: (await transport.post(WHAT_IF.version, probe.url, probe.body)).status };
  } catch (error) {
    return { error: `The What If probe did not get an answer: ${errorMessage(error)}` };
  }
}

async function acquireToken(credential: TokenCredential, consentUrl: string | undefined): Promise<TokenResult> {
  try {
    const token = await credential.getToken(GRAPH_SCOPE);
    if (!token) return tokenFailure("The credential returned no token", consentUrl);
    const roles = tokenRoles(token.token);
    return roles ? { ok: true, roles } : { ok: true };
  } catch (error) {
    return tokenFailure(errorMessage(error), consentUrl);
  }
}

export async function runDoctor(target: DoctorTarget, deps: DoctorDeps): Promise<DoctorReport> {
  const tenantId = target.tenantId.toLowerCase();
  const consent = adminConsentUrl({ tenantId, clientId: target.clientId, authorityHost: target.authorityHost });
  const consentUrl = consent.ok ? consent.url : undefined;
  const token = await acquireToken(deps.credential, consentUrl);

  const probes: ProbeResult[] = [];
  let whatIf: WhatIfProbeAnswer | undefined;
  let account: DoctorReport["account"];
  if (token.ok) {
    const first = accountProbe(target.accountRef);
    const answer = await send(deps.transport, first);
    probes.push(classifyProbe(first, answer));
    let objectId = PLACEHOLDER_OBJECT_ID;
    if (target.accountRef !== undefined) {
      const ok = answer.kind === "answer" && answer.answer.status >= 200 && answer.answer.status < 300;
      const parsed = ok && answer.kind === "answer" ? accountBody.safeParse(answer.answer.body) : undefined;
      if (parsed?.success) objectId = parsed.data.id;
      const found = parsed?.success ? true : answer.kind === "answer" && answer.answer.status === 404 ? false : null;
      account = { ref: target.accountRef, found, ...(parsed?.success ? { id: parsed.data.id } : {}) };
    }
    for (const probe of factProbes(objectId, deps.now, target.clientId)) probes.push(classifyProbe(probe, await send(deps.transport, probe)));
    whatIf = await sendWhatIf(deps.transport, objectId);
  } else if (target.accountRef !== undefined) {
    account = { ref: target.accountRef, found: null };
  }

  const permissions = summarisePermissions(probes, token, consentUrl, whatIf);
  const { ok, summary } = verdict(token, permissions, probes);
  return {
    schemaVersion: 1,
    tenantId,
    checkedAt: deps.now.toISOString(),
    ...(account ? { account } : {}),
    token,
    permissions,
    licences: summariseLicences(probes, token.ok),
    probes,
    ...(consentUrl ? { consentUrl } : {}),
    ok,
    summary,
  };
}
