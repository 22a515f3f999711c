import { index, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";

import { createdAt, ownedBy } from "./columns";
import { roles } from "./roles";
import { users } from "./users";

export const userRoles = pgTable(
  "user_roles",
  {
    userId: ownedBy(() => users.id),
    roleName: text()
      .notNull()
      .references(() => roles.name, { onDelete: "restrict" }),
    grantedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.roleName] }),
    // "How many admins are left?" when roles change.
    index("user_roles_role_name_idx").on(t.roleName),
  ],
);
