import { adminAuditEventsRouter } from "./router/admin-audit";
import { adminImportsRouter } from "./router/admin-imports";
import { adminMetricsRouter } from "./router/admin-metrics";
import {
  adminDatabaseRouter,
  adminDeadLettersRouter,
  adminMaintenanceRouter,
  adminQueueRouter,
} from "./router/admin-ops";
import { adminUsersRouter } from "./router/admin-users";
import { authRouter } from "./router/auth";
import { consoleRouter } from "./router/console";
import { importsRouter } from "./router/imports";
import { meRouter } from "./router/me";
import { router } from "./trpc";

export const appRouter = router({
  auth: authRouter,
  me: meRouter,
  imports: importsRouter,
  console: consoleRouter,
  admin: router({
    users: adminUsersRouter,
    imports: adminImportsRouter,
    queue: adminQueueRouter,
    metrics: adminMetricsRouter,
    deadLetters: adminDeadLettersRouter,
    maintenance: adminMaintenanceRouter,
    auditEvents: adminAuditEventsRouter,
    database: adminDatabaseRouter,
  }),
});

export type AppRouter = typeof appRouter;
