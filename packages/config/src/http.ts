import { fail } from "./errors";

export function parseOrigins(raw: string): string[] {
  return raw
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
}

export function validateOrigins(origins: string[], variable = "CORS_ORIGINS"): void {
  if (origins.length === 0) fail(variable, "is missing (comma-separated list of origins)");
  for (const origin of origins) {
    if (origin.includes("*")) fail(variable, "must not contain a wildcard");
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      fail(variable, `has an invalid origin: ${origin}`);
    }
    if (parsed.origin !== origin) {
      fail(variable, `entries must be bare origins like https://admin.example.com, got ${origin}`);
    }
  }
}

/**
 * PUBLIC_ORIGINS, or by default the https form of every CORS origin: a plain-HTTP request is
 * redirected only to one of these hosts, never to whatever Host header it carried.
 */
export function parsePublicOrigins(raw: string | undefined, corsOrigins: string[]): string[] {
  if (raw === undefined) {
    return [...new Set(corsOrigins.map((origin) => `https://${new URL(origin).host}`))];
  }
  const origins = parseOrigins(raw);
  validateOrigins(origins, "PUBLIC_ORIGINS");
  for (const origin of origins) {
    if (!origin.startsWith("https://"))
      fail("PUBLIC_ORIGINS", `must be https origins, got ${origin}`);
  }
  return origins;
}

export function parseTrustProxy(raw: string | undefined): string | number | false {
  if (raw === undefined || raw === "" || raw === "false") return false;
  if (raw === "true" || raw === "*") {
    fail(
      "TRUST_PROXY",
      "must name the proxies (e.g. loopback, 10.0.0.0/8, or a hop count), not trust everyone",
    );
  }
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}
