import type { ErrorEvent } from "@sentry/node";

import { scrub, scrubText } from "./logger";

export interface ErrorTrackingConfig {
  dsn: string;
  environment: string;
  release: string | null;
}

export interface ErrorContext {
  requestId?: string | null;
  tags?: Record<string, string>;
}

/** Where 5xx, unhandled errors and failed jobs are reported. A no-op without SENTRY_DSN. */
export interface ErrorTracker {
  readonly enabled: boolean;
  capture(error: unknown, context?: ErrorContext): void;
  /** Waits for queued events to be sent (shutdown). */
  flush(timeoutMs?: number): Promise<void>;
}

const disabled: ErrorTracker = {
  enabled: false,
  capture: () => undefined,
  flush: () => Promise.resolve(),
};

/**
 * Strips what must never leave the process: the request's headers, cookies, body and query
 * (they carry tokens and PII), user fields beyond the id, and any email, phone number or
 * credential in messages, extras, contexts and breadcrumbs.
 */
export function scrubEvent(event: ErrorEvent): ErrorEvent {
  if (event.request) {
    event.request = {
      ...(event.request.method ? { method: event.request.method } : {}),
      ...(event.request.url ? { url: scrubText(event.request.url.split("?")[0] ?? "") } : {}),
    };
  }
  if (event.user) event.user = event.user.id ? { id: event.user.id } : {};
  if (event.message) event.message = scrubText(event.message);
  for (const exception of event.exception?.values ?? []) {
    if (exception.value) exception.value = scrubText(exception.value);
    for (const frame of exception.stacktrace?.frames ?? []) {
      // Local variables and source lines may hold a password or an email being processed.
      delete frame.vars;
      delete frame.pre_context;
      delete frame.context_line;
      delete frame.post_context;
    }
  }
  if (event.extra) event.extra = scrub(event.extra) as typeof event.extra;
  if (event.contexts) event.contexts = scrub(event.contexts) as typeof event.contexts;
  if (event.tags) event.tags = scrub(event.tags) as typeof event.tags;
  if (event.breadcrumbs) event.breadcrumbs = scrub(event.breadcrumbs) as typeof event.breadcrumbs;
  return event;
}

/** A frame in a bundle (`apps/<app>/dist/<entry>.js`), as node prints it. */
const BUNDLE_FILE = /\/dist\/[^/]+\.js$/;

/**
 * Marks the frames left in a bundle as library code. The images run their bundles with
 * `--enable-source-maps` and ship maps of our own code only (tooling/scripts/source-map.mjs), so
 * node prints our frames at their TypeScript sources and a library's at its place in the bundle,
 * where no node_modules path would tell Sentry that it is not the app's own code.
 */
export function markLibraryFrames(event: ErrorEvent): ErrorEvent {
  for (const exception of event.exception?.values ?? []) {
    for (const frame of exception.stacktrace?.frames ?? []) {
      if (frame.filename !== undefined && BUNDLE_FILE.test(frame.filename)) frame.in_app = false;
    }
  }
  return event;
}

/**
 * Sentry (@sentry/node) for one service. Only error events: no tracing, no collected headers,
 * cookies, bodies or user info, a fixed set of integrations (uncaught exceptions, unhandled
 * rejections, linked causes). The SDK is loaded only when configured: it weighs tens of MB.
 */
export async function createErrorTracker(
  config: ErrorTrackingConfig | null,
  service: string,
): Promise<ErrorTracker> {
  if (!config) return disabled;
  const Sentry = await import("@sentry/node");
  Sentry.init({
    dsn: config.dsn,
    environment: config.environment,
    ...(config.release ? { release: config.release } : {}),
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: false,
      httpBodies: [],
      urlQueryParams: false,
    },
    defaultIntegrations: false,
    integrations: [
      Sentry.onUncaughtExceptionIntegration(),
      // As Node does without Sentry: an unhandled rejection ends the process.
      Sentry.onUnhandledRejectionIntegration({ mode: "strict" }),
      Sentry.linkedErrorsIntegration(),
      Sentry.dedupeIntegration(),
      Sentry.nodeContextIntegration(),
    ],
    initialScope: { tags: { service } },
    beforeSend: (event) => scrubEvent(markLibraryFrames(event)),
    beforeBreadcrumb: (breadcrumb) => scrub(breadcrumb) as typeof breadcrumb,
  });
  return {
    enabled: true,
    capture(error, context = {}) {
      Sentry.withScope((scope) => {
        if (context.requestId) scope.setTag("requestId", context.requestId);
        if (context.tags) scope.setTags(context.tags);
        Sentry.captureException(error);
      });
    },
    async flush(timeoutMs = 2000) {
      await Sentry.flush(timeoutMs);
    },
  };
}
