/** Authentication method types as the Entra admin center names them. */
import type { RegisteredMethod } from "../../model/state.js";

const NAMES: Readonly<Record<string, string>> = {
  passwordAuthenticationMethod: "Password",
  microsoftAuthenticatorAuthenticationMethod: "Microsoft Authenticator",
  phoneAuthenticationMethod: "Phone",
  fido2AuthenticationMethod: "FIDO2 security key",
  softwareOathAuthenticationMethod: "Software OATH token",
  hardwareOathAuthenticationMethod: "Hardware OATH token",
  temporaryAccessPassAuthenticationMethod: "Temporary Access Pass",
  windowsHelloForBusinessAuthenticationMethod: "Windows Hello for Business",
  emailAuthenticationMethod: "Email",
  platformCredentialAuthenticationMethod: "Platform credential",
  x509CertificateAuthenticationMethod: "Certificate-based authentication",
  qrCodePinAuthenticationMethod: "QR code",
};

function methodName(type: string): string {
  const bare = type.replace(/^#?microsoft\.graph\./, "");
  return NAMES[bare] ?? bare.replace(/AuthenticationMethod$/, "");
}

export function describeMethod(m: RegisteredMethod): string {
  return m.label ? `${methodName(m.type)} (${m.label})` : methodName(m.type);
}
