import type { Credentials, TokenPair, World } from "./world";
import { authFrom, PASSWORD } from "./world";

async function post(base: string, path: string, body: unknown, token?: string): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json; charset=UTF-8",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
}

/** Registers the run's own users (a deployment's limits allow 20 sign-ups an hour per address). */
export async function createUsers(
  base: string,
  runId: string,
  count: number,
): Promise<Credentials[]> {
  const users: Credentials[] = [];
  for (let i = 0; i < count; i++) {
    const user = { email: `load.${runId}.user${String(i)}@example.com`, password: PASSWORD };
    const res = await post(base, "/v1/auth/register", user);
    if (res.status !== 201)
      throw new Error(`registering a load user: ${String(res.status)} ${await res.text()}`);
    users.push(user);
  }
  return users;
}

/**
 * Signs in `count` apps for the borrowing scenarios and gives each user one small import, so
 * the read mix has something to list and page.
 */
export async function prepareAuths(base: string, world: World, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const user = world.users[i % world.users.length];
    if (!user) return;
    const res = await post(base, "/v1/auth/login", user);
    if (res.status !== 200) throw new Error(`signing in a load user: ${String(res.status)}`);
    const { tokens } = (await res.json()) as { tokens: TokenPair };
    world.idleAuths.push(authFrom(tokens, Date.now()));
    if (i < world.users.length) {
      const items = Array.from({ length: 20 }, (_, j) => ({
        email: `seed${String(j)}.${String(i)}@example.com`,
      }));
      const created = await fetch(`${base}/v1/imports`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${tokens.accessToken}`,
          "idempotency-key": `seed-${world.runId}-${String(i)}`,
        },
        body: JSON.stringify({ source: "seed", items }),
      });
      const body = (await created.json()) as { import?: { id: string } };
      if (created.status === 202 && body.import) world.acceptedImports.add(body.import.id);
    }
  }
}
