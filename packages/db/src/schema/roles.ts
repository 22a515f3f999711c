import { pgTable, text } from "drizzle-orm/pg-core";

import { createdAt } from "./columns";

export const roles = pgTable("roles", {
  name: text().primaryKey(),
  description: text().notNull(),
  createdAt: createdAt(),
});
