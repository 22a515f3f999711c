import type { Scenario } from "./run";
import { confirmDialog, expect, onSignedInPage } from "./browser";
import { ADMIN, MEMBER, OPERATOR } from "./env";

export const opsScenarios: Scenario[] = [
  {
    name: "search a user, grant and revoke admin, and the last-admin refusal",
    async run({ env, browser, rec }) {
      await onSignedInPage({ browser, api: env.api }, async ({ page }) => {
        await page.getByRole("link", { name: "Users" }).click();
        await page.getByRole("region", { name: "User list", exact: true }).waitFor();
        await rec.check(page, "users");
        await page.getByLabel("Email prefix or name").fill("operator");
        await page.getByRole("button", { name: "Search" }).click();
        await page.waitForURL(/query=operator/);
        await page.getByRole("link", { name: OPERATOR.email }).waitFor();
        expect((await page.locator("tbody tr").count()) === 1, "one match");
        await rec.shot(page, "users");
        await page.getByRole("link", { name: OPERATOR.email }).click();
        await page.getByRole("heading", { name: OPERATOR.email }).waitFor();
        await page.getByRole("button", { name: "Grant admin" }).click();
        await rec.check(page, "confirm dialog");
        await confirmDialog(page, "Grant admin");
        await page.getByText("Roles are now: admin, user.").waitFor();
        await page.getByRole("button", { name: "Revoke admin" }).click();
        await confirmDialog(page, "Revoke admin");
        await page.getByText("Roles are now: user.").waitFor();

        await page.goto(`${env.api}/admin/users?query=admin%40`);
        await page.getByRole("link", { name: ADMIN.email }).click();
        await page.getByRole("button", { name: "Revoke admin" }).click();
        await confirmDialog(page, "Revoke admin");
        await page.getByText("LAST_ADMIN").waitFor();
        await page.getByText("Runway always keeps at least one admin").waitFor();
        await rec.checkAndShoot(page, "user detail", "user-detail");
      });
    },
  },
  {
    name: "revoking a user's sessions makes that user's token refused",
    async run({ env, browser, seed }) {
      const tokens = await env.login(MEMBER);
      expect(
        (await env.rest("GET", "/v1/me", { token: tokens.accessToken })).status === 200,
        "token works first",
      );
      await onSignedInPage({ browser, api: env.api }, async ({ page }) => {
        await page.getByText("Latency p95").waitFor();
        await page.goto(`${env.api}/admin/users/${seed.memberId}`);
        await page.getByRole("heading", { name: /Active sessions \([1-9]/ }).waitFor();
        await page.getByRole("button", { name: "Revoke all sessions" }).click();
        await confirmDialog(page, "Revoke sessions");
        await page.getByText("Every session of this user was ended.").waitFor();
        await page.getByText("No active session.").waitFor();
        const after = await env.rest("GET", "/v1/me", { token: tokens.accessToken });
        expect(after.status === 401, `the revoked token is refused (got ${after.status})`);
      });
    },
  },
  {
    name: "import detail shows counts and masked items only",
    async run({ env, browser, rec, seed }) {
      await onSignedInPage({ browser, api: env.api }, async ({ page }) => {
        await page.getByRole("link", { name: "Imports" }).click();
        await page.getByLabel("Status").selectOption("completed");
        await page.waitForURL(/status=completed/);
        await page.getByRole("link", { name: seed.completedImportId.slice(0, 8) }).waitFor();
        expect((await page.locator("tbody tr").count()) === 1, "only the completed import");
        await rec.check(page, "imports");
        await page.getByLabel("Status").selectOption("");
        await page.getByRole("link", { name: seed.failedImportIds[0]!.slice(0, 8) }).waitFor();
        await rec.shot(page, "imports");
        await page.getByRole("link", { name: seed.completedImportId.slice(0, 8) }).click();
        await page.getByRole("region", { name: "Item list", exact: true }).waitFor();
        await page.getByText("5 total · 3 valid · 1 invalid · 1 duplicate · 1 matched").waitFor();
        await page.getByText("j***@example.com").first().waitFor();
        const text = (await page.locator("main").textContent()) ?? "";
        for (const raw of ["Jane.Roe", "jane.roe@", "1234-5678", "9876", "Jane Roe"]) {
          expect(!text.includes(raw), `no raw PII on the page (${raw})`);
        }
        await rec.checkAndShoot(page, "import detail", "import-detail");
      });
    },
  },
  {
    name: "a dead letter is retried to completion and another discarded; a refused action rolls back",
    async run({ env, browser, rec, seed }) {
      await onSignedInPage({ browser, api: env.api }, async ({ page }) => {
        await page.getByRole("link", { name: "Queue" }).click();
        const rows = page
          .getByRole("region", { name: "Dead letter list", exact: true })
          .locator("tbody tr");
        await rows.nth(2).waitFor();
        await rec.checkAndShoot(page, "queue", "queue");
        const [retryId, discardId, goneId] = seed.failedImportIds as [string, string, string];

        // The fault is fixed; the operator retries.
        env.running.core.imports.failSource = null;
        await page.getByRole("button", { name: `Retry import ${retryId.slice(0, 8)}` }).click();
        await confirmDialog(page, "Retry");
        await page.getByText(`Import ${retryId.slice(0, 8)} is queued again.`).waitFor();
        const admin = await env.login(ADMIN);
        const deadline = Date.now() + 15_000;
        let status = "";
        while (Date.now() < deadline && status !== "completed") {
          const res = await env.rest<{ import: { status: string } }>(
            "GET",
            `/v1/admin/imports/${retryId}`,
            {
              token: admin.accessToken,
            },
          );
          status = res.body.import.status;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        expect(status === "completed", `the retried import completed (is ${status})`);

        await page.getByRole("button", { name: `Discard import ${discardId.slice(0, 8)}` }).click();
        await confirmDialog(page, "Discard");
        await page.getByText("Dead letter discarded; the import stays failed.").waitFor();
        const discarded = await env.rest<{ import: { status: string } }>(
          "GET",
          `/v1/admin/imports/${discardId}`,
          {
            token: admin.accessToken,
          },
        );
        expect(discarded.body.import.status === "failed", "the discarded import stays failed");

        // Someone else discards the last one first: ours is refused and the row comes back.
        await page.getByRole("button", { name: `Discard import ${goneId.slice(0, 8)}` }).click();
        const letters = await env.rest<{ items: { id: string; importId: string }[] }>(
          "GET",
          "/v1/admin/dead-letters",
          {
            token: admin.accessToken,
          },
        );
        const gone = letters.body.items.find((l) => l.importId === goneId);
        expect(gone, "the third dead letter exists");
        await env.rest("DELETE", `/v1/admin/dead-letters/${gone.id}`, { token: admin.accessToken });
        await confirmDialog(page, "Discard");
        await page.getByText("Dead letter not found").waitFor();
        await page.getByText("Request id").waitFor();
        await page.getByText("No dead letters").waitFor();
      });
    },
  },
  {
    name: "maintenance cleanup runs and shows what it deleted",
    async run({ env, browser, rec }) {
      await onSignedInPage({ browser, api: env.api }, async ({ page }) => {
        await page.getByRole("link", { name: "Maintenance" }).click();
        await page.getByRole("button", { name: "Run cleanup" }).click();
        await confirmDialog(page, "Run cleanup");
        await page.getByRole("heading", { name: "Deleted" }).waitFor();
        await page.getByText("Revocation records", { exact: true }).waitFor();
        await rec.checkAndShoot(page, "maintenance", "maintenance");
      });
    },
  },
  {
    name: "the audit log shows the role change, filterable, linking to the user",
    async run({ env, browser, rec, seed }) {
      await onSignedInPage({ browser, api: env.api }, async ({ page }) => {
        await page.getByRole("link", { name: "Audit log" }).click();
        await page.getByRole("region", { name: "Audit event list", exact: true }).waitFor();
        await page.getByLabel("Event", { exact: true }).selectOption("admin.roles_changed");
        await page.waitForURL(/type=admin\.roles_changed/);
        await page.getByText("after: admin,user").first().waitFor();
        await page.getByText("before: admin,user · after: user").first().waitFor();
        await rec.checkAndShoot(page, "audit log", "audit");
        await page
          .getByRole("link", { name: seed.operatorId.slice(0, 8) })
          .first()
          .click();
        await page.getByRole("heading", { name: OPERATOR.email }).waitFor();
      });
    },
  },
];
