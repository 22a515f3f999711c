import * as schema from "./schema";

export * from "./client";
export * from "./schema";
export * from "./verify";
export { schema };
export * from "./unavailable";
