/**
 * What a message says, independent of the format it is said in. Every string here is plain text
 * (possibly from a tenant, so untrusted); the HTML, text, Teams and Slack renderers each escape it
 * for their own format. Building the content once keeps the email parts and the webhook saying
 * the same thing.
 */
export type Tone = "danger" | "warning" | "success" | "info";

export interface Fact {
  readonly label: string;
  readonly value: string;
}

/** A link we build ourselves (portal deep links, the dashboard): always https. */
export interface Link {
  readonly label: string;
  readonly url: string;
}

export interface ItemList {
  readonly title: string;
  readonly items: readonly string[];
}

/** One change: a transition of an alert, or a section of the digest. */
export interface Block {
  readonly title: string;
  readonly tone: Tone;
  /** What changed, in a sentence or two. */
  readonly lead: string;
  readonly facts: readonly Fact[];
  readonly lists: readonly ItemList[];
  /** How to fix it, in order; empty when nothing is to be done. */
  readonly steps: readonly string[];
  readonly links: readonly Link[];
}

export interface MessageDocument {
  readonly subject: string;
  /** The preview line mail clients show after the subject. */
  readonly preheader: string;
  readonly heading: string;
  readonly tone: Tone;
  readonly intro: readonly string[];
  readonly facts: readonly Fact[];
  readonly blocks: readonly Block[];
  readonly links: readonly Link[];
  readonly footer: readonly string[];
}

export const TONE_LABEL: Record<Tone, string> = { danger: "Action needed", warning: "Attention", success: "Resolved", info: "Information" };

/** Colours with enough contrast on white, and their pale backgrounds. */
export const TONE_COLOURS: Record<Tone, { readonly strong: string; readonly pale: string }> = {
  danger: { strong: "#b42318", pale: "#fef3f2" },
  warning: { strong: "#b54708", pale: "#fffaeb" },
  success: { strong: "#067647", pale: "#ecfdf3" },
  info: { strong: "#175cd3", pale: "#eff8ff" },
};
