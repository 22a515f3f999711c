export * from "./auth";
export * from "./common";
export * from "./errors";
export * from "./users";
export * from "./imports";
export * from "./app-version";
export * from "./admin";
export * from "./database";
