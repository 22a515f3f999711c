import type { Algorithm, Options } from "@node-rs/argon2";
import { hash, parseOptions, verify } from "@node-rs/argon2";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";

import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@runway/contracts";

import { AppError } from "./errors";
import { WorkGate } from "./work-gate";

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. Stated explicitly; library defaults move. */
export const ARGON2_PARAMS = {
  // Algorithm.Argon2id: the package declares its enums `const`, which isolatedModules cannot inline.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
  algorithm: 2 satisfies Algorithm,
  memoryCost: 19 * 1024,
  timeCost: 2,
  parallelism: 1,
} as const satisfies Options;

/**
 * argon2id runs on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise),
 * shared by the whole process: past a bounded queue, a sign-in is refused at once with 503 and
 * Retry-After (BusyError) rather than waiting into the client's timeout while its CPU starves
 * every other request. Set per process by `limitPasswordHashing`; unbounded until then.
 */
export const passwordGate = new WorkGate(4, 0);

export function limitPasswordHashing(options: {
  threads: number;
  maxQueued: number;
  retryAfterSeconds: number;
}): void {
  passwordGate.configure(options.threads, options.maxQueued, options.retryAfterSeconds);
}

export function hashPassword(password: string): Promise<string> {
  return passwordGate.run(() => hash(password, ARGON2_PARAMS));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return passwordGate.run(async () => {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  });
}

export function needsRehash(passwordHash: string): boolean {
  try {
    const current = parseOptions(passwordHash);
    return (
      !passwordHash.startsWith("$argon2id$") ||
      current.memoryCost !== ARGON2_PARAMS.memoryCost ||
      current.timeCost !== ARGON2_PARAMS.timeCost ||
      current.parallelism !== ARGON2_PARAMS.parallelism
    );
  } catch {
    return true;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Burns the same time as a real verification, so a login for an unknown email takes as long
 * as one with a wrong password.
 */
export async function dummyVerify(password: string): Promise<void> {
  // Outside the gate: computed once per process, and a refusal must not be cached.
  dummyHash ??= hash("runway-dummy-password-for-timing", ARGON2_PARAMS);
  await verifyPassword(await dummyHash, password);
}

const strength = new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });

/** Minimum zxcvbn score: 3 resists an offline attack on a slow hash. */
export const MIN_PASSWORD_SCORE = 3;

/** Throws WEAK_PASSWORD for common, guessable or personal passwords. */
export function assertPasswordPolicy(password: string, personal: string[] = []): void {
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw new AppError(
      "WEAK_PASSWORD",
      `Password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
    );
  }
  const personalWords = personal
    .flatMap((value) => [value.toLowerCase(), ...value.toLowerCase().split(/[^a-z0-9]+/)])
    .filter((word) => word.length >= 3);
  const result = strength.check(password, personalWords);
  if (result.score < MIN_PASSWORD_SCORE) {
    throw new AppError(
      "WEAK_PASSWORD",
      "Password is too common or easy to guess; try a longer passphrase",
    );
  }
}
