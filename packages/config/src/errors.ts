/** A configuration problem; its message is one line naming the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export function fail(variable: string, problem: string): never {
  throw new ConfigError(`${variable} ${problem}`);
}
