/**
 * Is an IP address inside a CIDR range (IPv4 or IPv6)? Written here because the pure rules may not
 * import Node's `net` (no I/O modules in lib/checks) and no IP library is a dependency of the
 * product; parsing the two textual forms into numbers is all a named location's ranges need.
 */

function parseV4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let out = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    out = (out << 8n) | BigInt(Number(p));
  }
  return out;
}

function parseV6(text: string): bigint | null {
  let s = text.toLowerCase();
  // An embedded IPv4 tail (::ffff:203.0.113.7) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const n = parseV4(v4[1]!);
    if (n === null) return null;
    s = `${s.slice(0, -v4[1]!.length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  let out = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    out = (out << 16n) | BigInt(parseInt(g, 16));
  }
  return out;
}

interface Address {
  readonly bits: 32 | 128;
  readonly value: bigint;
}

function parseIp(text: string): Address | null {
  const t = text.trim();
  if (t.includes(":")) {
    const v = parseV6(t);
    return v === null ? null : { bits: 128, value: v };
  }
  const v = parseV4(t);
  return v === null ? null : { bits: 32, value: v };
}

/** True/false when both parse and are the same family; null when the range or the address is not understood. */
export function inCidr(ip: string, cidr: string): boolean | null {
  const [base, lengthText] = cidr.trim().split("/");
  const address = parseIp(ip);
  const network = parseIp(base ?? "");
  if (!address || !network) return null;
  if (address.bits !== network.bits) return false;
  const length = lengthText === undefined ? network.bits : Number(lengthText);
  if (!Number.isInteger(length) || length < 0 || length > network.bits) return null;
  const shift = BigInt(network.bits - length);
  return address.value >> shift === network.value >> shift;
}
