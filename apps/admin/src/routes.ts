import { createRootRoute, createRoute } from "@tanstack/react-router";

import {
  AuditSearch,
  ImportDetailSearch,
  ImportsSearch,
  OverviewSearch,
  QueueSearch,
  UsersSearch,
} from "./search";

/**
 * The route tree without components, so screens can import their route for typed params and
 * search without an import cycle; router.tsx attaches the components.
 */
export const rootRoute = createRootRoute();
const child = <P extends string>(path: P) => ({ getParentRoute: () => rootRoute, path });

export const overviewRoute = createRoute({ ...child("/"), validateSearch: OverviewSearch });
export const usersRoute = createRoute({ ...child("/users"), validateSearch: UsersSearch });
export const userDetailRoute = createRoute(child("/users/$userId"));
export const importsRoute = createRoute({ ...child("/imports"), validateSearch: ImportsSearch });
export const importDetailRoute = createRoute({
  ...child("/imports/$importId"),
  validateSearch: ImportDetailSearch,
});
export const queueRoute = createRoute({ ...child("/queue"), validateSearch: QueueSearch });
export const maintenanceRoute = createRoute(child("/maintenance"));
export const auditRoute = createRoute({ ...child("/audit"), validateSearch: AuditSearch });

export const routeTree = rootRoute.addChildren([
  overviewRoute,
  usersRoute,
  userDetailRoute,
  importsRoute,
  importDetailRoute,
  queueRoute,
  maintenanceRoute,
  auditRoute,
]);
