import { ConfigError } from "@runway/config";

/** The one line a db:* command prints when it fails: the configuration problem or the cause, never a stack. */
export function failureLine(command: string, error: unknown, outcome = "failed"): string {
  if (error instanceof ConfigError) return `Configuration error: ${error.message}`;
  return `${command} ${outcome}: ${error instanceof Error ? error.message : String(error)}`;
}
