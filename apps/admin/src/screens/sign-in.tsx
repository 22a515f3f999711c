import { useState } from "react";

import { LoginInputSchema } from "@runway/contracts";

import { TextField } from "../components/field";
import { ErrorBox } from "../components/status";
import { consoleClient, session } from "../lib/trpc";

/** Validates with the server's own schema before sending; shows the API's answer otherwise. */
export function validateSignIn(email: string, password: string) {
  const parsed = LoginInputSchema.safeParse({ email, password });
  if (parsed.success) return { ok: true as const, input: parsed.data };
  const errors: Partial<Record<"email" | "password", string>> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if ((field === "email" || field === "password") && !errors[field]) {
      errors[field] = field === "password" ? "Enter your password" : issue.message;
    }
  }
  return { ok: false as const, errors };
}

const FIELDS = [
  { id: "email", label: "Email", type: "email", autoComplete: "username" },
  { id: "password", label: "Password", type: "password", autoComplete: "current-password" },
] as const;

export function SignInScreen({ message }: { message: string | null }) {
  const [values, setValues] = useState({ email: "", password: "" });
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<"email" | "password", string>>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const result = validateSignIn(values.email, values.password);
    if (!result.ok) {
      setFieldErrors(result.errors);
      return;
    }
    setFieldErrors({});
    setError(null);
    setBusy(true);
    try {
      session.accept(await consoleClient.console.signIn.mutate(result.input));
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  return (
    <main className="centered">
      <form
        className="card sign-in"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <h1>Runway console</h1>
        <p className="muted">For operators with the admin role.</p>
        {message ? (
          <p className="notice" role="status">
            {message}
          </p>
        ) : null}
        {FIELDS.map((field) => (
          <TextField
            key={field.id}
            {...field}
            value={values[field.id]}
            error={fieldErrors[field.id]}
            onChange={(value) => {
              setValues((current) => ({ ...current, [field.id]: value }));
            }}
          />
        ))}
        {error ? <ErrorBox error={error} title="Sign-in failed" /> : null}
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
