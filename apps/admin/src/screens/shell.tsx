import { useQueryClient } from "@tanstack/react-query";
import { Link, Outlet } from "@tanstack/react-router";
import { useState, useSyncExternalStore } from "react";

import { Loading } from "../components/status";
import { session } from "../lib/trpc";
import { SignInScreen } from "./sign-in";

const NAV = [
  { to: "/", label: "Overview" },
  { to: "/users", label: "Users" },
  { to: "/imports", label: "Imports" },
  { to: "/queue", label: "Queue" },
  { to: "/maintenance", label: "Maintenance" },
  { to: "/audit", label: "Audit log" },
] as const;

/** Signed out: the sign-in form and nothing else. Signed in: navigation and the screen. */
export function Shell() {
  const state = useSyncExternalStore(session.subscribe, session.getState);
  const queryClient = useQueryClient();
  const [signingOut, setSigningOut] = useState(false);

  if (state.status === "starting") {
    return (
      <main className="centered">
        <Loading label="Opening the console" />
      </main>
    );
  }
  if (state.status === "signed-out") return <SignInScreen message={state.message} />;

  return (
    <div className="layout">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Runway console</span>
        <nav aria-label="Sections" className="nav">
          {NAV.map((item) => (
            <Link
              key={item.to}
              to={item.to}
              className="nav-link"
              activeProps={{ className: "nav-link active", "aria-current": "page" }}
              activeOptions={{ exact: item.to === "/", includeSearch: false }}
            >
              {item.label}
            </Link>
          ))}
        </nav>
        <div className="account">
          <span className="muted" title={state.user.email}>
            {state.user.email}
          </span>
          <button
            type="button"
            className="button secondary"
            disabled={signingOut}
            onClick={() => {
              setSigningOut(true);
              void session.signOut().finally(() => {
                queryClient.clear();
                setSigningOut(false);
              });
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
