import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { inject } from "vitest";

import { testApiEnv } from "./api-client";
import { createTestDatabase } from "./database";
import { freePort } from "./ports";
import { imageNodeFlags, repoRoot, waitFor } from "./services";

export interface AppProcess {
  child: ChildProcess;
  /** Every line it wrote to stdout or stderr (its JSON logs), as they arrive. */
  logs: string[];
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `apps/<app>` as a real child process, from its sources (or, with `bundle`, its built
 * production bundle `dist/main.js`, with the node flags of its image), and captures its log lines.
 */
export function startAppProcess(
  app: "api" | "worker",
  env: Record<string, string>,
  options: { bundle?: boolean } = {},
): AppProcess {
  const entry = options.bundle
    ? [...imageNodeFlags(app), `apps/${app}/dist/main.js`]
    : ["--import", "tsx", `apps/${app}/src/main.ts`];
  const child = spawn(process.execPath, entry, {
    cwd: repoRoot,
    // Only what the app needs: nothing of the test runner's environment leaks in.
    env: { NODE_ENV: "test", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  let buffer = "";
  const collect = (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) if (line.length > 0) logs.push(line);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      resolve(code);
    }),
  );
  return {
    child,
    logs,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A real API on a fresh PostgreSQL database, in the test's process or a child. */
export interface ApiUnderTest {
  url: string;
  databaseUrl: string;
  /** Stops the API and drops its database. */
  close(): Promise<void>;
}

export interface TestApi extends ApiUnderTest {
  process: AppProcess;
}

/**
 * `apps/api` as a child process on a fresh, migrated PostgreSQL database, for suites of other
 * apps that need a real API next to them without importing its code.
 */
export async function startTestApi(
  env: Record<string, string> = {},
  options: { postgresAdminUrl?: string } = {},
): Promise<TestApi> {
  const database = await createTestDatabase(options.postgresAdminUrl ?? inject("postgresAdminUrl"));
  const url = `http://127.0.0.1:${String(await freePort())}`;
  const api = startAppProcess("api", {
    ...testApiEnv(database.url),
    PORT: new URL(url).port,
    MIGRATE_ON_START: "true",
    ...env,
  });
  await waitFor(
    async () => (await fetch(`${url}/healthz`)).ok,
    60_000,
    () => (api.child.exitCode === null ? null : `the API exited: ${api.logs.join("\n")}`),
  );
  return {
    url,
    databaseUrl: database.url,
    process: api,
    async close() {
      await api.kill("SIGTERM");
      await database.drop();
    },
  };
}
