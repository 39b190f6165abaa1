/**
 * Fn::Cidr's computation: the first `count` subnets of `cidrBits` host bits each inside `ipBlock`, for
 * IPv4 and IPv6 alike (BigInt arithmetic, so one code path serves both widths), written the way AWS
 * writes them (dotted quads; IPv6 in its compressed form).
 */
import { isIPv4, isIPv6 } from "node:net";
import { TemplateError } from "./types.ts";

const CIDR_USAGE =
  "Template error: Fn::Cidr requires three parameters: an IP address block in CIDR notation, the count of subnets to generate (1-256) and the number of subnet bits";

export function cidrSubnets(ipBlock: string, count: number, cidrBits: number): string[] {
  const [address = "", prefixText = ""] = ipBlock.split("/");
  const width = isIPv4(address) ? 32 : isIPv6(address) ? 128 : 0;
  const prefix = /^\d+$/.test(prefixText) ? Number(prefixText) : -1;
  if (width === 0 || prefix < 0 || prefix > width) {
    throw new TemplateError(`Template error: Fn::Cidr contains an invalid IP block: ${ipBlock}`);
  }
  if (!Number.isInteger(count) || count < 1 || count > 256 || !Number.isInteger(cidrBits) || cidrBits < 0) {
    throw new TemplateError(CIDR_USAGE);
  }
  const subnetPrefix = width - cidrBits;
  if (subnetPrefix < prefix || BigInt(count) > 1n << BigInt(subnetPrefix - prefix)) {
    throw new TemplateError(
      `Template error: Fn::Cidr cannot make ${count} subnets of ${cidrBits} bits in the IP block ${ipBlock}`,
    );
  }
  const hostMask = (1n << BigInt(width - prefix)) - 1n;
  const network = toBigInt(address, width) & ~hostMask;
  const step = 1n << BigInt(cidrBits);
  return Array.from(
    { length: count },
    (_, index) => `${toText(network + step * BigInt(index), width)}/${subnetPrefix}`,
  );
}

function toBigInt(address: string, width: number): bigint {
  if (width === 32) return address.split(".").reduce((sum, octet) => (sum << 8n) + BigInt(octet), 0n);
  const [head = "", tail = ""] = address.includes("::") ? address.split("::") : [address, ""];
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === "" ? [] : tail.split(":");
  const groups = address.includes("::")
    ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill("0"), ...tailGroups]
    : headGroups;
  return groups.reduce((sum: bigint, group: string) => (sum << 16n) + BigInt(`0x${group}`), 0n);
}

function toText(value: bigint, width: number): string {
  if (width === 32) {
    return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join(".");
  }
  const groups = Array.from({ length: 8 }, (_, index) =>
    ((value >> BigInt(112 - index * 16)) & 0xffffn).toString(16),
  );
  // RFC 5952: the longest run (of two or more) of zero groups becomes "::".
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === "0") length++;
    if (length > bestLength) {
      bestStart = start;
      bestLength = length;
    }
  }
  if (bestStart < 0) return groups.join(":");
  return `${groups.slice(0, bestStart).join(":")}::${groups.slice(bestStart + bestLength).join(":")}`;
}
