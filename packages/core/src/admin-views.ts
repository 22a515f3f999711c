import { and, asc, eq, gt, isNull } from "drizzle-orm";

import type { AdminImportDetail, AdminUserDetail } from "@runway/contracts";
import { sessions } from "@runway/db";

import type { Core } from "./context";
import { AppError } from "./errors";
import { ownImport, toImport } from "./imports";
import { getCurrentUser } from "./users";

/** A user with their live sessions (not revoked, not past their absolute lifetime). */
export async function getUserDetail(core: Core, userId: string): Promise<AdminUserDetail> {
  const user = await getCurrentUser(core, userId).catch((error: unknown) => {
    if (error instanceof AppError) throw new AppError("NOT_FOUND", "User not found");
    throw error;
  });
  const rows = await core.db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, core.now()),
      ),
    )
    .orderBy(asc(sessions.createdAt));
  return {
    user,
    sessions: rows.map((row) => ({
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      lastUsedAt: row.lastUsedAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
    })),
  };
}

/** Any user's import, with its owner and the request id that created it (for the logs). */
export async function adminGetImport(core: Core, importId: string): Promise<AdminImportDetail> {
  const row = await ownImport(core.db, null, importId);
  return { import: { ...toImport(row), userId: row.userId, requestId: row.requestId } };
}
