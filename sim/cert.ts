/**
 * A self-signed certificate for 127.0.0.1 and localhost. Clients trust it through
 * NODE_EXTRA_CA_CERTS, so it must name both the IP and the DNS name in subjectAltName
 * (Node checks the SAN, never the CN) and be usable as its own trust anchor.
 */
import { generate } from "selfsigned";

export interface SimTls {
  cert: string;
  key: string;
}

export async function makeSelfSignedCertificate(days = 30): Promise<SimTls> {
  const notBeforeDate = new Date(Date.now() - 60 * 60 * 1000);
  const notAfterDate = new Date(notBeforeDate.getTime() + days * 24 * 60 * 60 * 1000);
  const pems = await generate([{ name: "commonName", value: "Drift Monitor Graph simulator" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
