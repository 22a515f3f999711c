export * from "./auth";
export * from "./common";
export * from "./errors";
export * from "./users";
export * from "./imports";
export * from "./database";
