import "./provided-context";

export { createTestDatabase } from "./database";
export { startPostgres, type PostgresServer, type RestartablePostgresServer } from "./postgres";
export { startRedis, type RedisServer } from "./redis";
export {
  sentryDsn,
  sentryEvents,
  startFakeReceiver,
  type FakeReceiver,
  type ReceivedRequest,
} from "./fake-receiver";
export { freePort } from "./ports";
export {
  benchmarkLimits,
  benchSecrets,
  imageNodeFlags,
  launchNode,
  liftedRateLimits,
  processCpuMs,
  processRssMb,
  repoRoot,
  stopProcess,
  waitFor,
} from "./services";
export {
  ADMIN,
  adminTokens,
  http,
  newUser,
  PASSWORD,
  testApiEnv,
  type HttpResult,
  type Tokens,
} from "./api-client";
export {
  startAppProcess,
  startTestApi,
  type ApiUnderTest,
  type AppProcess,
  type TestApi,
} from "./app-process";
