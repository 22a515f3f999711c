import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

import type { AppRouter } from "@runway/api";

// Type-only: erased at build time, so no server code reaches the bundle.
export type { AppRouter } from "@runway/api";

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;
