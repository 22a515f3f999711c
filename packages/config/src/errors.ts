/** A configuration problem; its message is one line naming the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export function fail(variable: string, problem: string): never {
  throw new ConfigError(`${variable} ${problem}`);
}

/**
 * For an entry point: what `load` returns, or, when it throws a ConfigError, that one line on
 * stderr and exit code 1 (no stack trace for a configuration mistake).
 */
export function loadOrExit<T>(
  load: () => T,
  exit: (code: number) => never = (code) => process.exit(code),
): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Refusing to start: ${error.message}`);
    return exit(1);
  }
}
