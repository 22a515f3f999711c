// `pnpm dev`: the API (restarted on change by tsx watch) and the console's Vite dev server with
// HMR, which proxies /trpc to the API. Open http://localhost:5173/admin/. Ctrl-C stops both.
import { spawn } from "node:child_process";

const children = [
  spawn("pnpm", ["exec", "tsx", "watch", "apps/api/src/main.ts"], { stdio: "inherit" }),
  spawn("pnpm", ["--filter", "@runway/admin", "dev"], { stdio: "inherit" }),
];
let stopping = false;
const stop = (code) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  process.exitCode = code;
};
for (const child of children) child.on("exit", (code) => stop(code ?? 0));
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
