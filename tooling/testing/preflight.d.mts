export interface RedisHost {
  redisUrl: string | undefined;
  hasRedisServer: boolean;
  platform: string;
  distro: string[];
  isRoot: boolean;
  hasPasswordlessSudo: boolean;
  hasAptGet: boolean;
  aptHasCandidate: boolean;
}

export type RedisPlan =
  | { action: "ready" }
  | { action: "install"; notice: string; commands: string[][] }
  | { action: "stop"; message: string };

export declare function manualRedisCommand(
  host: Pick<RedisHost, "platform" | "distro" | "isRoot">,
): string | null;
export declare function planRedis(host: RedisHost): RedisPlan;
export declare function onPath(name: string): boolean;
export declare function inspectHost(): RedisHost;
export declare function ensureRedis(): boolean;
