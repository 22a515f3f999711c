import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { queryClient, session, trpcClient, TRPCProvider } from "./lib/trpc";
import { router } from "./router";

import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("no #root element");

// The access token lives in memory only: a reload resumes through the refresh cookie.
session.refresh().catch(() => undefined);

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <RouterProvider router={router} />
      </TRPCProvider>
    </QueryClientProvider>
  </StrictMode>,
);
