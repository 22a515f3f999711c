import {
  adminDatabaseRouter,
  adminDeadLettersRouter,
  adminImportsRouter,
  adminMaintenanceRouter,
  adminMetricsRouter,
  adminQueueRouter,
} from "./router/admin-ops";
import { adminUsersRouter } from "./router/admin-users";
import { authRouter } from "./router/auth";
import { importsRouter } from "./router/imports";
import { meRouter } from "./router/me";
import { router } from "./trpc";

export const appRouter = router({
  auth: authRouter,
  me: meRouter,
  imports: importsRouter,
  admin: router({
    users: adminUsersRouter,
    imports: adminImportsRouter,
    queue: adminQueueRouter,
    metrics: adminMetricsRouter,
    deadLetters: adminDeadLettersRouter,
    maintenance: adminMaintenanceRouter,
    database: adminDatabaseRouter,
  }),
});

export type AppRouter = typeof appRouter;
