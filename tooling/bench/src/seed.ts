/** What the scenarios need: a user with imports, its tokens, and a pool of refresh tokens. */
export interface BenchContext {
  credentials: { email: string; password: string };
  accessToken: string;
  importId: string;
  refreshTokens: string[];
}

const PASSWORD = "correct horse battery staple";

async function post<T>(base: string, path: string, body: unknown, headers = {}): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Auth {
  tokens: { accessToken: string; refreshToken: string };
}

/** Registers a user, gives it 40 imports of 10 contacts, and opens 16 sessions for refresh. */
export async function seed(base: string): Promise<BenchContext> {
  const credentials = { email: `bench.${Date.now()}@example.com`, password: PASSWORD };
  const { tokens } = await post<Auth>(base, "/v1/auth/register", credentials);
  const bearer = { authorization: `Bearer ${tokens.accessToken}` };
  let importId = "";
  for (let i = 0; i < 40; i++) {
    const items = Array.from({ length: 10 }, (_, j) => ({ email: `seed${i}.${j}@example.com` }));
    const created = await post<{ import: { id: string } }>(
      base,
      "/v1/imports",
      { source: "seed", items },
      { ...bearer, "idempotency-key": `seed-${i}` },
    );
    importId = created.import.id;
  }
  const refreshTokens: string[] = [];
  for (let i = 0; i < 64; i++) {
    refreshTokens.push((await post<Auth>(base, "/v1/auth/login", credentials)).tokens.refreshToken);
  }
  return { credentials, accessToken: tokens.accessToken, importId, refreshTokens };
}
