/**
 * An emergency access sign-in in the three views (email, Teams, Slack): what it names, its
 * severity, and hostile values from the sign-in log (an app name, a failure reason, a city) escaped.
 */
import { describe, expect, it } from "vitest";
import { renderAlert } from "../../../lib/alerts/render/index.js";
import { slackPayload } from "../../../lib/alerts/render/slack.js";
import { teamsPayload } from "../../../lib/alerts/render/teams.js";
import { alertOf, NOW, SAMPLES } from "./samples.js";
import { emergencySignIn } from "./samples-emergency.js";

const HOSTILE_APP = "<img src=x onerror=alert(1)>";
const hostile = alertOf("9b1b2c3d4e5f60718293a4b5c6d7e8f9", [
  {
    kind: "emergency-sign-in",
    key: "emergency-sign-in|x",
    signIn: emergencySignIn({
      appDisplayName: HOSTILE_APP,
      city: "<!channel> *Oslo*",
      failureReason: "[click](https://evil.example) & <b>",
      errorCode: 50053,
      ipAddress: null,
    }),
  },
]);

describe("emergency access sign-in: rendered", () => {
  it.each<[string, RegExp]>([
    [
      "the subject tags it and says where from",
      /^\[Emergency access sign-in\] Contoso — emergency access account signed in from 203\.0\.113\.7, Seattle, US \(\+1 more\)$/m,
    ],
    ["the text names the result of the failed one", /Result:\s+Failure 50126: Error validating credentials/],
    ["the text names the app and client", /Application:\s+Azure Portal[\s\S]*Client app:\s+Browser/],
    ["its severity is a security notice", /Severity:\s+Security notice/],
  ])("%s", (_name, pattern) => {
    const r = renderAlert(SAMPLES["emergency-sign-in"]!, { now: NOW });
    expect(`${r.subject}\n${r.text}`).toMatch(pattern);
  });

  it("a failed sign-in without an IP says so in the subject, and the location is the sign-in log's", () => {
    const r = renderAlert(hostile, { now: NOW });
    expect(r.subject).toContain("emergency access account failed to sign in (50053) from");
    expect(r.text).toMatch(/IP address:\s+not in the sign-in log/);
  });

  it("email: hostile values are HTML-escaped", () => {
    const { html } = renderAlert(hostile, { now: NOW });
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain("<b>");
  });

  it("Slack: no ping, no link, no markup from the log", () => {
    const json = JSON.stringify(slackPayload(renderAlert(hostile, { now: NOW }).document));
    expect(json).not.toContain("<!channel>");
    expect(json).not.toContain("<img");
    expect(json).toContain("&lt;!channel&gt;");
    expect(json).not.toMatch(/<https:\/\/evil/);
  });

  it("Teams: Markdown from the log is escaped", () => {
    const payload = teamsPayload(renderAlert(hostile, { now: NOW }).document) as { attachments: Array<{ content: { body: unknown[] } }> };
    const body = JSON.stringify(payload.attachments[0]!.content.body);
    expect(body).toContain("Failure 50053");
    expect(body).not.toContain("[click](https://evil.example)");
    expect(body).not.toMatch(/[^\\]\*Oslo/);
  });
});
