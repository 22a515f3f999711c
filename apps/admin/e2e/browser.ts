import type { Browser, BrowserContext, Page } from "playwright-core";
import { mkdirSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { chromium } from "playwright-core";

import { ADMIN } from "./env";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export interface AxeResult {
  screen: string;
  violations: { id: string; impact: string | null | undefined; nodes: number }[];
}

/** Per-run bookkeeping: axe results and screenshots of each screen. */
export class Recorder {
  readonly axe: AxeResult[] = [];
  constructor(private readonly shotsDir: string) {
    mkdirSync(shotsDir, { recursive: true });
  }

  /** Runs axe (WCAG 2.1 A/AA) and fails on any serious or critical violation. */
  async check(page: Page, screen: string): Promise<void> {
    const result = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    const violations = result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.length,
    }));
    this.axe.push({ screen, violations });
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    if (bad.length > 0) {
      const detail = bad
        .map(
          (v) =>
            `${v.id} (${v.impact ?? "?"}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
        )
        .join("; ");
      throw new Error(`axe on ${screen}: ${detail}`);
    }
  }

  /** Checks a screen with axe, then keeps its screenshot as `file`.png. */
  async checkAndShoot(page: Page, screen: string, file: string): Promise<void> {
    await this.check(page, screen);
    await this.shot(page, file);
  }

  async shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(this.shotsDir, `${name}.png`), fullPage: false });
  }
}

export async function newPage(
  browser: Browser,
  width = 1280,
  height = 860,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}

export async function signIn(
  page: Page,
  api: string,
  user: { email: string; password: string } = ADMIN,
): Promise<void> {
  await page.goto(`${api}/admin/`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * Runs `steps` on a fresh page signed in as `user` (the admin by default), then closes the
 * page's context, also when a step fails, so one scenario's failure leaves no page behind.
 */
export async function onSignedInPage(
  {
    browser,
    api,
    user = ADMIN,
  }: { browser: Browser; api: string; user?: { email: string; password: string } },
  steps: (tab: { page: Page; context: BrowserContext }) => Promise<void>,
): Promise<void> {
  const { context, page } = await newPage(browser);
  try {
    await signIn(page, api, user);
    await steps({ page, context });
  } finally {
    await context.close();
  }
}

export async function confirmDialog(page: Page, label: string): Promise<void> {
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  await dialog.getByRole("button", { name: label }).click();
  await dialog.waitFor({ state: "hidden" });
}

export function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
