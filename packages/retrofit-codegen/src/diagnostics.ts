/**
 * What the generator could not express faithfully. A construct that would make an operation
 * uncallable is an error (thrown); one with a usable fallback is a warning, listed in the run's
 * output and returned by `generateClient`, so nothing degrades silently.
 */
export class Diagnostics {
  private readonly list = new Set<string>();

  warn(where: string, message: string): void {
    this.list.add(`${where}: ${message}`);
  }

  get warnings(): string[] {
    return [...this.list].sort();
  }
}

export class GeneratorError extends Error {
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = "GeneratorError";
  }
}
