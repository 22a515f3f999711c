export { createCapturingLogger, createLogger, type Logger } from "./logger";
