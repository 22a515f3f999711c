import { createRouter } from "@tanstack/react-router";

import {
  auditRoute,
  importDetailRoute,
  importsRoute,
  maintenanceRoute,
  overviewRoute,
  queueRoute,
  rootRoute,
  routeTree,
  userDetailRoute,
  usersRoute,
} from "./routes";
import { AuditScreen } from "./screens/audit";
import { ImportDetailScreen } from "./screens/import-detail";
import { ImportsScreen } from "./screens/imports";
import { MaintenanceScreen } from "./screens/maintenance";
import { NotFound } from "./screens/not-found";
import { OverviewScreen } from "./screens/overview";
import { QueueScreen } from "./screens/queue";
import { Shell } from "./screens/shell";
import { UserDetailScreen } from "./screens/user-detail";
import { UsersScreen } from "./screens/users";

rootRoute.update({ component: Shell, notFoundComponent: NotFound });
overviewRoute.update({ component: OverviewScreen });
usersRoute.update({ component: UsersScreen });
userDetailRoute.update({ component: UserDetailScreen });
importsRoute.update({ component: ImportsScreen });
importDetailRoute.update({ component: ImportDetailScreen });
queueRoute.update({ component: QueueScreen });
maintenanceRoute.update({ component: MaintenanceScreen });
auditRoute.update({ component: AuditScreen });

export const router = createRouter({ routeTree, basepath: "/admin" });

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
