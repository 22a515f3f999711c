import { isIPv4, isIPv6 } from "node:net";

function expandIPv6(ip: string): string[] {
  const [head = "", tail] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill("0"), ...right].map((group) =>
    group.padStart(4, "0"),
  );
}

/**
 * The rate-limit bucket of a client address. IPv4-mapped IPv6 (`::ffff:203.0.113.7`) is the
 * IPv4 address it maps; other IPv6 addresses share a bucket per /64, the smallest block a
 * single subscriber usually gets, so rotating through one's own prefix gains nothing.
 */
export function clientBucket(ip: string | undefined): string {
  if (!ip) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (isIPv4(ip)) return ip;
  if (isIPv6(ip))
    return `${expandIPv6(ip.split("%")[0] ?? ip)
      .slice(0, 4)
      .join(":")}::/64`;
  return "unknown";
}
