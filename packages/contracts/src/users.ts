import { z } from "zod";

import {
  CursorSchema,
  IsoDateTimeSchema,
  isWellFormedText,
  NextCursorSchema,
  PageLimitSchema,
  TEXT_PATTERN,
  UuidSchema,
  WELL_FORMED,
} from "./common";

export const ROLES = ["user", "admin"] as const;
export const RoleSchema = z.enum(ROLES).meta({
  id: "Role",
  description: "`user` is given at registration; `admin` unlocks /v1/admin.",
});
export type Role = z.infer<typeof RoleSchema>;

export const UserSchema = z
  .object({
    id: UuidSchema,
    email: z.string().meta({ example: "jane@example.com" }),
    displayName: z.string().nullable().meta({ example: "Jane" }),
    roles: z.array(RoleSchema),
    createdAt: IsoDateTimeSchema,
  })
  .meta({ id: "User" });
export type User = z.infer<typeof UserSchema>;

export const UserResponseSchema = z.object({ user: UserSchema }).meta({ id: "UserResponse" });

export const ChangePasswordInputSchema = z
  .strictObject({
    currentPassword: z.string().min(1).max(128),
    newPassword: z.string().min(12).max(128).meta({
      description: "New password, 12 to 128 characters; common passwords are refused.",
    }),
  })
  .meta({ id: "ChangePasswordRequest" });

export const ListUsersInputSchema = z.strictObject({
  query: z
    .string()
    .trim()
    .min(1)
    .max(254)
    .regex(TEXT_PATTERN)
    .refine(isWellFormedText, WELL_FORMED)
    .optional()
    .meta({
      description: "Case-insensitive prefix of the email, or part of the display name.",
    }),
  limit: PageLimitSchema,
  cursor: CursorSchema.optional(),
});

export const UserPageSchema = z
  .object({ items: z.array(UserSchema), nextCursor: NextCursorSchema })
  .meta({ id: "UserPage" });

export const SetUserRolesInputSchema = z
  .strictObject({
    userId: UuidSchema,
    roles: z.array(RoleSchema).max(ROLES.length).meta({
      description: "The complete set of roles the user will hold.",
    }),
  })
  .meta({ id: "SetUserRolesRequest" });

export const UserIdInputSchema = z.strictObject({ userId: UuidSchema });
