export * from "./client";
export * from "./schema";
export { schema };

import * as schema from "./schema";
