import { adminUsersRouter } from "./router/admin-users";
import { authRouter } from "./router/auth";
import { meRouter } from "./router/me";
import { router } from "./trpc";

export const appRouter = router({
  auth: authRouter,
  me: meRouter,
  admin: router({ users: adminUsersRouter }),
});

export type AppRouter = typeof appRouter;
