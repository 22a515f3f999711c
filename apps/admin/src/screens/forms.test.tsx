import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { SignInScreen, validateSignIn } from "./sign-in";
import { toggledAdminRoles } from "./user-detail";
import { parseUserQuery } from "./users";

const userId = "6f1c1c0e-5a9b-4c1e-9f0e-2d0a4b8c9e11";

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("forms validate with the API's own schemas", () => {
  it("sign-in: normalizes the email like the server and names each bad field", () => {
    expect(validateSignIn("  Admin@Example.COM ", "secret")).toEqual({
      ok: true,
      input: { email: "admin@example.com", password: "secret" },
    });
    const bad = validateSignIn("not-an-email", "");
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors).toEqual({
      email: "Invalid email address",
      password: "Enter your password",
    });
  });

  it("sign-in form: shows the field errors and sends nothing while invalid", () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    render(<SignInScreen message="Your session expired. Sign in again." />);
    expect(screen.getByRole("status").textContent).toContain("Your session expired");
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: "nope" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(screen.getByText("Invalid email address")).toBeTruthy();
    expect(screen.getByText("Enter your password")).toBeTruthy();
    expect(screen.getByLabelText("Email").getAttribute("aria-invalid")).toBe("true");
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("user search: trims, and refuses what the API would refuse", () => {
    expect(parseUserQuery("  jane ")).toEqual({ value: "jane", error: null });
    expect(parseUserQuery("   ")).toEqual({ value: undefined, error: null });
    expect(parseUserQuery("x".repeat(300)).error).toBeTruthy();
  });

  it("roles: granting and revoking admin keep the user role and a valid request", () => {
    expect(toggledAdminRoles(["user"], true, userId)).toEqual({
      userId,
      roles: ["user", "admin"],
    });
    expect(toggledAdminRoles(["admin", "user"], false, userId)).toEqual({
      userId,
      roles: ["user"],
    });
    expect(() => toggledAdminRoles(["user"], true, "not-a-uuid")).toThrow();
  });
});
