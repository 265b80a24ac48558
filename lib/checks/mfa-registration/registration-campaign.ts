/**
 * Does the registration campaign (the "nudge") take the account? Include targets `all_users`, the
 * account or one of its groups; exclude targets remove it. Three-valued like the Conditional
 * Access scope: unreadable membership makes a group miss uncertain.
 *
 * State `default` is "Microsoft managed": Microsoft picks the method and the snoozes, the tenant
 * the targets (learn.microsoft.com/entra/identity/authentication/how-to-mfa-registration-campaign,
 * "Microsoft managed state"). It takes in users who do MFA by text message or voice call: before
 * 2026-09-01 to set up Authenticator; from then on Microsoft "auto-enabled" passkeys for users
 * enabled for SMS or voice and set the campaign to Microsoft managed targeting passkeys, which
 * "will automatically bring these users into scope"
 * (learn.microsoft.com/entra/identity/authentication/concept-sms-voice-retirement). So `default`
 * counts as taking the account only when the account has a phone method; `enabled` counts with its
 * targets; anything else (`disabled`, future values) does not.
 */
import type { Fact, MembershipFact, RegistrationCampaignFact, TenantFacts } from "../../model/index.js";
import { describeFailure } from "../result.js";
import { isPhoneMethod, PASSKEYS_BY_DEFAULT } from "./sms-voice-retirement.js";

type CampaignVerdict =
  { readonly targets: true; readonly why: string } | { readonly targets: false; readonly why: string } | { readonly targets: "unknown"; readonly why: string };

function groupName(membership: MembershipFact, id: string): string | null | undefined {
  const g = membership.groups.find((x) => x.id.toLowerCase() === id.toLowerCase());
  return g ? (g.displayName ?? g.id) : undefined;
}

type Target = RegistrationCampaignFact["includeTargets"][number];
type Hit = { readonly hit: string; readonly target: Target } | { readonly miss: true } | { readonly unknown: true };

function matchTargets(targets: RegistrationCampaignFact["includeTargets"], accountId: string, membership: Fact<MembershipFact>): Hit {
  let uncertain = false;
  for (const t of targets) {
    const id = t.id.toLowerCase();
    if (id === "all_users") return { hit: "all users", target: t };
    if (t.targetType === "user" && id === accountId.toLowerCase()) return { hit: "the account itself", target: t };
    if (t.targetType === "group") {
      if (!membership.ok) uncertain = true;
      else {
        const name = groupName(membership.value, id);
        if (name !== undefined) return { hit: `group ${name}`, target: t };
      }
    }
  }
  return uncertain ? { unknown: true } : { miss: true };
}

const METHOD_NUDGED: Readonly<Record<string, string>> = { fido2: "a passkey", microsoftAuthenticator: "Microsoft Authenticator" };

/** What the campaign asks the account to register: Microsoft's choice when Microsoft-managed, else the include target's. */
function nudges(state: string, target: Target, now: number): string {
  if (state === "default") return now >= PASSKEYS_BY_DEFAULT ? "a passkey" : "Microsoft Authenticator";
  const method = target.targetedAuthenticationMethod ?? "";
  return METHOD_NUDGED[method] ?? (method || "an MFA method");
}

/**
 * @param methods the account's method types (or the registration report's names); null when neither could be read.
 * @param now the facts' collection time: which method a Microsoft-managed campaign nudges.
 */
export function campaignTargetsAccount(
  campaign: RegistrationCampaignFact,
  accountId: string,
  membership: Fact<MembershipFact>,
  methods: readonly string[] | null,
  now: number,
): CampaignVerdict {
  const state = campaign.state;
  if (state !== "enabled" && state !== "default") return { targets: false, why: `the registration campaign is ${state}` };
  if (state === "default" && !(methods ?? []).some(isPhoneMethod)) {
    return { targets: false, why: "the registration campaign is Microsoft-managed and takes in only text-message or voice-call MFA users" };
  }
  const label = state === "default" ? "Microsoft-managed registration campaign" : "registration campaign (enabled)";
  const include = matchTargets(campaign.includeTargets, accountId, membership);
  if ("miss" in include) return { targets: false, why: `the ${label} does not include the account` };
  const exclude = matchTargets(campaign.excludeTargets, accountId, membership);
  if ("hit" in exclude) return { targets: false, why: `the ${label} excludes the account via ${exclude.hit}` };
  if ("unknown" in include || "unknown" in exclude) {
    return { targets: "unknown", why: `whether the ${label} targets the account depends on group membership that could not be read` };
  }
  return { targets: true, why: `the ${label} targets the account via ${include.hit}, nudging it to register ${nudges(state, include.target, now)} after MFA` };
}

interface CampaignReading {
  readonly verdict: { readonly reaches: boolean | "unknown"; readonly why: string; readonly microsoftManaged: boolean } | null;
  /** Why whether it reaches the account cannot be told, if it cannot. */
  readonly unknown: string | null;
}

/** The campaign as the registration checks read it: its verdict (null when unreadable or unlicensed), and why it cannot be told, if it cannot. */
export function readCampaign(facts: TenantFacts, accountId: string, names: readonly string[], now: number): CampaignReading {
  const campaign = facts.registrationCampaign;
  if (!campaign.ok) {
    return { verdict: null, unknown: campaign.code === "unlicensed" ? null : `the registration campaign could not be read: ${describeFailure(campaign)}` };
  }
  const v = campaignTargetsAccount(campaign.value, accountId, facts.membership, names, now);
  return { verdict: { reaches: v.targets, why: v.why, microsoftManaged: campaign.value.state === "default" }, unknown: v.targets === "unknown" ? v.why : null };
}
