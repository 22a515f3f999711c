export * from "./audit-events";
export * from "./refresh-tokens";
export * from "./revoked-sessions";
export * from "./roles";
export * from "./sessions";
export * from "./user-roles";
export * from "./users";
