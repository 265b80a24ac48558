/**
 * Does the Authenticator registration campaign (the "nudge") take the account? Include targets
 * `all_users`, the account or one of its groups; exclude targets remove it. Three-valued like the
 * Conditional Access scope: unreadable membership makes a group miss uncertain.
 *
 * State `default` is "Microsoft managed". Graph documents its effective value as disabled, and
 * Microsoft's rollout turns it on only for users who do MFA by text message or voice call. So
 * `default` counts as targeting the account only when the account has a phone method; `enabled`
 * counts with its targets; anything else (`disabled`, future values) does not.
 */
import type { AuthMethodFact, Fact, MembershipFact, RegistrationCampaignFact } from "../../model/index.js";

type CampaignVerdict =
  { readonly targets: true; readonly why: string } | { readonly targets: false; readonly why: string } | { readonly targets: "unknown"; readonly why: string };

const PHONE_METHOD = "phoneAuthenticationMethod";

function groupName(membership: MembershipFact, id: string): string | null | undefined {
  const g = membership.groups.find((x) => x.id.toLowerCase() === id.toLowerCase());
  return g ? (g.displayName ?? g.id) : undefined;
}

type Hit = { readonly hit: string } | { readonly miss: true } | { readonly unknown: true };

function matchTargets(targets: RegistrationCampaignFact["includeTargets"], accountId: string, membership: Fact<MembershipFact>): Hit {
  let uncertain = false;
  for (const t of targets) {
    const id = t.id.toLowerCase();
    if (id === "all_users") return { hit: "all users" };
    if (t.targetType === "user" && id === accountId.toLowerCase()) return { hit: "the account itself" };
    if (t.targetType === "group") {
      if (!membership.ok) uncertain = true;
      else {
        const name = groupName(membership.value, id);
        if (name !== undefined) return { hit: `group ${name}` };
      }
    }
  }
  return uncertain ? { unknown: true } : { miss: true };
}

export function campaignTargetsAccount(
  campaign: RegistrationCampaignFact,
  accountId: string,
  membership: Fact<MembershipFact>,
  methods: readonly AuthMethodFact[] | null,
): CampaignVerdict {
  const state = campaign.state;
  if (state !== "enabled" && state !== "default") return { targets: false, why: `the registration campaign is ${state}` };
  if (state === "default") {
    const phone = methods?.some((m) => m.type === PHONE_METHOD) ?? false;
    if (!phone) return { targets: false, why: "the registration campaign is Microsoft-managed and nudges only text-message or voice-call MFA users" };
  }
  const label = state === "default" ? "Microsoft-managed registration campaign" : "registration campaign (enabled)";
  const include = matchTargets(campaign.includeTargets, accountId, membership);
  if ("miss" in include) return { targets: false, why: `the ${label} does not include the account` };
  const exclude = matchTargets(campaign.excludeTargets, accountId, membership);
  if ("hit" in exclude) return { targets: false, why: `the ${label} excludes the account via ${exclude.hit}` };
  if ("unknown" in include || "unknown" in exclude) {
    return { targets: "unknown", why: `whether the ${label} targets the account depends on group membership that could not be read` };
  }
  return { targets: true, why: `the ${label} targets the account via ${include.hit}` };
}
