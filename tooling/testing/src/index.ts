import "./provided-context";

export { createTestDatabase } from "./database";
export { startPostgres, type PostgresServer } from "./postgres";
export { startRedis, type RedisServer } from "./redis";
