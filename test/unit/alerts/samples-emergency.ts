/** The emergency access sign-ins of the samples: a successful one and a failed one. */
import type { Transition } from "../../../lib/model/state.js";

type EmergencySignIn = Extract<Transition, { kind: "emergency-sign-in" }>["signIn"];

/** A successful interactive sign-in of an emergency access account; override any field. */
export const emergencySignIn = (over: Partial<EmergencySignIn> = {}): EmergencySignIn => ({
  id: "b3c1",
  createdDateTime: "2026-03-04T06:05:00.000Z",
  ipAddress: "203.0.113.7",
  city: "Seattle",
  countryOrRegion: "US",
  appDisplayName: "Azure Portal",
  appId: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
  clientAppUsed: "Browser",
  isInteractive: true,
  errorCode: 0,
  failureReason: null,
  ...over,
});

export const EMERGENCY_SIGN_INS: Transition[] = [
  { kind: "emergency-sign-in", key: "emergency-sign-in|b3c1", signIn: emergencySignIn() },
  {
    kind: "emergency-sign-in",
    key: "emergency-sign-in|a7f2",
    signIn: emergencySignIn({
      id: "a7f2",
      createdDateTime: "2026-03-04T05:58:00.000Z",
      ipAddress: "198.51.100.23",
      city: null,
      countryOrRegion: "NL",
      errorCode: 50126,
      failureReason: "Error validating credentials due to invalid username or password.",
    }),
  },
];
