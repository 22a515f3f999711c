import type { Logger } from "./logger";

export type Severity = "critical" | "error" | "warning";

export interface RuleResult {
  firing: boolean;
  /** Numbers behind the decision, shown in the page (never PII). */
  details: Record<string, number | string | null>;
}

export interface AlertRule {
  /** Stable name; part of the PagerDuty dedup key. */
  name: string;
  severity: Severity;
  summary: string;
  evaluate(): Promise<RuleResult>;
}

export interface AlertEvent {
  rule: string;
  action: "trigger" | "resolve";
  severity: Severity;
  summary: string;
  details: RuleResult["details"];
  dedupKey: string;
  source: string;
  at: string;
}

export interface Notifier {
  name: string;
  /**
   * True when a resolve for an incident that is not open is harmless (PagerDuty ignores it).
   * Such a notifier is sent a resolve for every quiet rule at the first evaluation, so an
   * incident opened by a process that has since restarted is not left open forever.
   */
  resolvesOnStart?: boolean;
  send(event: AlertEvent): Promise<void>;
}

/** Posts JSON; an error names the receiver, never its URL (a webhook URL is a secret). */
async function postJson(
  receiver: string,
  url: string,
  body: unknown,
  timeoutMs = 5000,
): Promise<Response> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`${receiver} answered ${String(response.status)}`);
  return response;
}

/** Slack incoming webhook: one message when an alert fires and one when it clears. */
export function slackNotifier(webhookUrl: string): Notifier {
  return {
    name: "slack",
    async send(event) {
      const icon = event.action === "trigger" ? ":rotating_light:" : ":white_check_mark:";
      const state = event.action === "trigger" ? "FIRING" : "RESOLVED";
      const facts = Object.entries(event.details)
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(", ");
      await postJson("slack", webhookUrl, {
        text: `${icon} [${state}] ${event.summary} (${event.rule}, ${event.severity}) on ${event.source}${facts ? `: ${facts}` : ""}`,
      });
    },
  };
}

/** PagerDuty Events API v2: trigger and resolve share a stable dedup key, so one incident. */
export function pagerDutyNotifier(routingKey: string, eventsUrl: string): Notifier {
  return {
    name: "pagerduty",
    resolvesOnStart: true,
    async send(event) {
      await postJson("pagerduty", eventsUrl, {
        routing_key: routingKey,
        event_action: event.action,
        dedup_key: event.dedupKey,
        ...(event.action === "trigger"
          ? {
              payload: {
                summary: event.summary,
                source: event.source,
                severity: event.severity,
                component: "runway",
                group: event.rule,
                timestamp: event.at,
                custom_details: event.details,
              },
            }
          : {}),
      });
    },
  };
}

/**
 * Evaluates rules on a schedule and tells each notifier about changes only: a rule that keeps
 * firing pages once; when it clears, a resolve goes out. A notifier that could not be reached
 * is told again at the next evaluation, until it has heard the current state.
 */
export class Alerter {
  /** What each notifier was last told about each rule (true = firing). */
  private readonly told = new Map<string, boolean>();
  private readonly firing = new Map<string, boolean>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly rules: AlertRule[],
    private readonly notifiers: Notifier[],
    private readonly logger: Logger,
    private readonly source: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The rules firing at the last evaluation. */
  active(): string[] {
    return [...this.firing].filter(([, firing]) => firing).map(([rule]) => rule);
  }

  async evaluate(): Promise<void> {
    for (const rule of this.rules) {
      let result: RuleResult;
      try {
        result = await rule.evaluate();
      } catch (error) {
        this.logger.warn("alert rule failed to evaluate", { rule: rule.name, error });
        continue;
      }
      if ((this.firing.get(rule.name) ?? false) !== result.firing) {
        this.logger.log(result.firing ? "error" : "info", "alert state changed", {
          rule: rule.name,
          firing: result.firing,
          details: result.details,
        });
      }
      this.firing.set(rule.name, result.firing);
      const event: AlertEvent = {
        rule: rule.name,
        action: result.firing ? "trigger" : "resolve",
        severity: rule.severity,
        summary: rule.summary,
        details: result.details,
        dedupKey: `runway/${rule.name}`,
        source: this.source,
        at: this.now().toISOString(),
      };
      await Promise.all(
        this.notifiers.map(async (notifier) => {
          const key = `${notifier.name}/${rule.name}`;
          const told = this.told.get(key);
          // Never told: send a trigger; a resolve only where a restart may have lost an incident.
          const current =
            told === undefined
              ? !result.firing && !notifier.resolvesOnStart
              : told === result.firing;
          if (current) return;
          try {
            await notifier.send(event);
            this.told.set(key, result.firing);
          } catch (error) {
            this.logger.warn("alert delivery failed; retrying at the next evaluation", {
              notifier: notifier.name,
              rule: rule.name,
              error,
            });
          }
        }),
      );
    }
  }

  start(intervalMs: number): void {
    const run = () => {
      if (this.running) return;
      this.running = this.evaluate().finally(() => {
        this.running = null;
      });
    };
    this.timer = setInterval(run, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
