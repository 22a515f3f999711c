import { z } from "zod";

/** The header in which the Android app sends its own version on every call. */
export const APP_VERSION_HEADER = "X-App-Version";

/** Semantic Versioning 2.0.0 (semver.org's own expression): no `v` prefix, no leading zeros. */
export const SEMVER_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export const APP_VERSION_MAX_LENGTH = 64;

export const AppVersionSchema = z
  .string()
  .max(APP_VERSION_MAX_LENGTH)
  .regex(SEMVER_PATTERN, "must be a semantic version like 2.4.1");

/** The stable body text of APP_UPGRADE_REQUIRED, shown by the app's forced-update screen. */
export const APP_UPGRADE_MESSAGE =
  "This version of the app is no longer supported. Update the app to continue.";
