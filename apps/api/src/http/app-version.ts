import type { NextFunction, Request, Response } from "express";
import semver from "semver";

import type { ErrorResponse } from "@runway/contracts";
import {
  APP_UPGRADE_MESSAGE,
  APP_VERSION_HEADER,
  AppVersionSchema,
  ERROR_STATUS,
} from "@runway/contracts";

import { sendError } from "./errors";

/**
 * The forced update: a /v1 call from an app older than `minAppVersion` (its X-App-Version) gets
 * 426 APP_UPGRADE_REQUIRED with a stable body the app shows as an update screen. Calls without
 * the header (the web console, curl, scripts) are not affected; a malformed one is a 400, so
 * an app with a broken version string is noticed in development rather than served silently.
 *
 * 426 normally names a protocol in `Upgrade`; there is no protocol to name here (the upgrade is
 * of the app), so none is sent, as clients only read the body.
 */
export function requireAppVersion(minAppVersion: string | null) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const raw = req.get(APP_VERSION_HEADER);
    if (raw === undefined) {
      next();
      return;
    }
    const parsed = AppVersionSchema.safeParse(raw);
    if (!parsed.success) {
      sendError(res, "VALIDATION_FAILED", "Input validation failed", [
        { path: APP_VERSION_HEADER, message: "Must be a semantic version like 2.4.1" },
      ]);
      return;
    }
    if (minAppVersion !== null && semver.lt(parsed.data, minAppVersion)) {
      const body: ErrorResponse = {
        code: "APP_UPGRADE_REQUIRED",
        message: APP_UPGRADE_MESSAGE,
        requestId: res.locals.requestId,
        minAppVersion,
      };
      res.status(ERROR_STATUS.APP_UPGRADE_REQUIRED).json(body);
      return;
    }
    next();
  };
}
