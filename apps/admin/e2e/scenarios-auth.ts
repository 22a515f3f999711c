import type { AddressInfo } from "node:net";
import { createServer } from "node:http";

import type { Scenario } from "./run";
import { expect, newPage, onSignedInPage, signIn } from "./browser";
import { ACCESS_TOKEN_TTL, ADMIN, MEMBER } from "./env";

const COOKIE = "runway_console_refresh";

export const authScenarios: Scenario[] = [
  {
    name: "admin signs in (keyboard only) and the overview shows figures and charts",
    async run({ env, browser, rec, report }) {
      const { context, page } = await newPage(browser);
      await page.goto(`${env.api}/admin/`);
      await page.getByLabel("Email").waitFor();
      await rec.checkAndShoot(page, "sign-in", "sign-in");
      await page.getByLabel("Email").focus();
      await page.keyboard.type(ADMIN.email);
      await page.keyboard.press("Tab");
      await page.keyboard.type(ADMIN.password);
      const started = Date.now();
      await page.keyboard.press("Enter");
      await page.getByText("Latency p95").waitFor();
      await page.locator(".chart canvas").first().waitFor();
      await page.getByText(/Updated \d+ s ago/).waitFor();
      const interactive = Date.now() - started;
      report(`overview interactive ${interactive} ms after sign-in`);
      expect(
        interactive < 1000,
        `overview took ${interactive} ms to become interactive (budget 1000 ms)`,
      );
      expect((await page.locator(".tile").count()) >= 10, "ten figure tiles");
      expect((await page.locator(".chart canvas").count()) >= 4, "four charts");
      const storage = await page.evaluate(() =>
        JSON.stringify([Object.keys(localStorage), Object.keys(sessionStorage)]),
      );
      expect(storage === "[[],[]]", `nothing in web storage, found ${storage}`);
      const cookies = await context.cookies();
      const cookie = cookies.find((c) => c.name === COOKIE);
      expect(
        cookie?.httpOnly && cookie.sameSite === "Strict" && cookie.path === "/trpc",
        "strict httpOnly cookie on /trpc",
      );
      await page.waitForTimeout(1200);
      await rec.checkAndShoot(page, "overview", "overview");
      await page.getByLabel("Range").selectOption("60");
      await page.waitForURL(/minutes=60/);
      await page.getByRole("heading", { name: "Last 60 minutes" }).waitFor();
      await context.close();

      const mobile = await newPage(browser, 390, 844);
      await signIn(mobile.page, env.api);
      await mobile.page.getByText("Latency p95").waitFor();
      await mobile.page.locator(".chart canvas").first().waitFor();
      const overflow = await mobile.page.evaluate(() => document.documentElement.scrollWidth);
      expect(overflow <= 390, `no horizontal scrolling at 390 px (page is ${overflow} px wide)`);
      await rec.checkAndShoot(mobile.page, "overview at 390 px", "overview-390");
      for (const screen of ["users", "imports", "queue", "maintenance", "audit"]) {
        await mobile.page.goto(`${env.api}/admin/${screen}`);
        await mobile.page.locator("main h1").waitFor();
        await mobile.page.waitForLoadState("networkidle");
        const width = await mobile.page.evaluate(() => document.documentElement.scrollWidth);
        expect(width <= 390, `${screen} fits 390 px (page is ${width} px wide)`);
      }
      await mobile.context.close();
    },
  },
  {
    name: "a non-admin is refused with a clear message and no data",
    async run({ env, browser }) {
      await onSignedInPage({ browser, api: env.api, user: MEMBER }, async ({ page, context }) => {
        await page.getByText("Only administrators can sign in to the Runway console").waitFor();
        expect(
          (await page.getByRole("navigation", { name: "Sections" }).count()) === 0,
          "no navigation",
        );
        expect(!(await context.cookies()).some((c) => c.name === COOKIE), "no cookie");
      });
    },
  },
  {
    name: "a wrong password shows the API's message and a request id",
    async run({ env, browser }) {
      const { context, page } = await newPage(browser);
      await signIn(page, env.api, { email: ADMIN.email, password: "wrong-password-here" });
      await page.getByText("Email or password is incorrect").waitFor();
      await page.getByText("Request id").waitFor();
      await page.getByText("INVALID_CREDENTIALS").waitFor();
      await context.close();
    },
  },
  {
    name: "sign-out ends the session and a reload stays signed out",
    async run({ env, browser }) {
      await onSignedInPage({ browser, api: env.api }, async ({ page, context }) => {
        await page.getByText("Latency p95").waitFor();
        const old = (await context.cookies()).find((c) => c.name === COOKIE);
        await page.getByRole("button", { name: "Sign out" }).click();
        await page.getByLabel("Email").waitFor();
        expect(!(await context.cookies()).some((c) => c.name === COOKIE), "cookie cleared");
        await page.reload();
        await page.getByLabel("Email").waitFor();
        // The old cookie's session is over on the server too.
        expect(old, "had a cookie");
        const res = await fetch(`${env.api}/trpc/console.refresh`, {
          method: "POST",
          headers: {
            "x-runway-csrf": "1",
            "content-type": "application/json",
            origin: env.api,
            cookie: `${COOKIE}=${old.value}`,
          },
        });
        expect(res.status === 401, `old cookie refused after sign-out (got ${res.status})`);
      });
    },
  },
  {
    name: "a reused refresh cookie signs the operator out with a message",
    async run({ env, browser }) {
      await onSignedInPage({ browser, api: env.api }, async ({ page, context }) => {
        await page.getByText("Latency p95").waitFor();
        const first = (await context.cookies()).find((c) => c.name === COOKIE);
        expect(first, "cookie after sign-in");
        await page.reload(); // resumes through the cookie: it rotates
        await page.getByText("Latency p95").waitFor();
        const second = (await context.cookies()).find((c) => c.name === COOKIE);
        expect(second && second.value !== first.value, "the cookie rotated on refresh");
        await page.waitForTimeout(2500); // past the lost-response grace (REFRESH_REUSE_INTERVAL=2)
        await context.addCookies([first]);
        await page.reload();
        await page
          .getByText("Your session was ended because its sign-in token was used twice")
          .waitFor();
        await context.addCookies([second]);
        await page.reload();
        await page.getByLabel("Email").waitFor(); // the whole family was revoked
      });
    },
  },
  {
    name: "a cross-site request without the CSRF defence is refused",
    async run({ env, browser }) {
      await onSignedInPage({ browser, api: env.api }, async ({ page, context }) => {
        await page.getByText("Latency p95").waitFor();
        const target = `${env.api}/trpc/console.refresh`;
        const evil = createServer((_req, res) => {
          res.setHeader("content-type", "text/html");
          res.end(`<!doctype html><form method="post" action="${target}" enctype="multipart/form-data">
            <input name="x" value="1"><button>go</button></form>
            <p id="fetch"></p><script>
            fetch(${JSON.stringify(target)}, { method: "POST", credentials: "include",
              headers: { "x-runway-csrf": "1", "content-type": "application/json" } })
              .then((r) => { document.getElementById("fetch").textContent = "fetch " + r.status; })
              .catch(() => { document.getElementById("fetch").textContent = "fetch blocked"; });
            </script>`);
        });
        await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
        const port = (evil.address() as AddressInfo).port;
        try {
          const attacker = await context.newPage();
          // localhost is another site than 127.0.0.1: SameSite=Strict keeps the cookie home.
          await attacker.goto(`http://localhost:${port}/`);
          await attacker.getByText(/^fetch (blocked|\d+)$/).waitFor();
          expect(
            (await attacker.locator("#fetch").textContent()) === "fetch blocked",
            "CORS blocks the fetch",
          );
          await attacker.getByRole("button", { name: "go" }).click();
          await attacker.waitForURL(target);
          const body = await attacker.locator("body").textContent();
          expect(body?.includes("CSRF_REJECTED"), `the form post is refused: ${body ?? ""}`);
          await attacker.close();
          await page.reload();
          await page.getByText("Latency p95").waitFor(); // the operator's session is untouched
        } finally {
          evil.close();
        }
      });
    },
  },
];

/** Moves the API clock forward, so it runs after everything that needs the clocks in step. */
export const clockScenarios: Scenario[] = [
  {
    name: "an expired access token is refreshed silently on its 401",
    async run({ env, browser }) {
      await onSignedInPage({ browser, api: env.api }, async ({ page }) => {
        await page.getByText("Latency p95").waitFor();
        const seen: string[] = [];
        page.on("response", (response) => {
          const url = new URL(response.url());
          if (url.pathname.startsWith("/trpc/")) seen.push(`${response.status()} ${url.pathname}`);
        });
        // Past the token's lifetime and the 30 s clock leeway, by the API's clock.
        env.advanceClock(ACCESS_TOKEN_TTL + 31);
        const refreshed = page.waitForResponse((r) => r.url().endsWith("/trpc/console.refresh"));
        const listed = page.waitForResponse(
          (r) => r.url().includes("/trpc/admin.users.list") && r.status() === 200,
        );
        await page.getByRole("link", { name: "Users" }).click();
        await Promise.all([refreshed, listed]);
        await page.getByRole("region", { name: "User list", exact: true }).waitFor();
        const firstRefused = seen.findIndex((s) => s.startsWith("401 /trpc/admin."));
        const refresh = seen.findIndex((s) => s === "200 /trpc/console.refresh");
        expect(firstRefused >= 0, `a call was refused with 401 (saw ${seen.join(", ")})`);
        expect(refresh > firstRefused, `then refreshed once (saw ${seen.join(", ")})`);
        expect(
          seen.filter((s) => s.endsWith("console.refresh")).length === 1,
          "single flight refresh",
        );
        expect((await page.getByLabel("Email", { exact: true }).count()) === 0, "still signed in");
      });
    },
  },
];
