import { z } from "zod";

import { isWellFormedText, TEXT_PATTERN, WELL_FORMED } from "./common";
import { UserSchema } from "./users";

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** What we accept as an address (HTML's definition), with surrounding blanks tolerated. */
export const EMAIL_PATTERN =
  /^\s*[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\s*$/;

export const EmailSchema = z
  .string()
  .max(254)
  .regex(EMAIL_PATTERN, "Invalid email address")
  .transform((value) => value.trim().toLowerCase())
  .meta({
    description: "Email address; compared case-insensitively.",
    example: "jane@example.com",
  });

export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH)
  .max(PASSWORD_MAX_LENGTH)
  .meta({
    description: `Password, ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters; common passwords are refused.`,
    example: "correct horse battery staple",
  });

const RefreshTokenSchema = z.string().min(1).max(512).meta({
  description: "The opaque refresh token from the last `tokens` received.",
  example: "q3x0dYQ7bmJc6mO2g9pU4XUMx8s1aRk0Wl9bP3zTgQE",
});

const DisplayNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(TEXT_PATTERN)
  .refine(isWellFormedText, WELL_FORMED)
  .optional()
  .meta({ description: "Name shown to other users.", example: "Jane" });

export const RegisterInputSchema = z
  .strictObject({
    email: EmailSchema,
    password: PasswordSchema,
    displayName: DisplayNameSchema,
  })
  .meta({ id: "RegisterRequest" });

export const LoginInputSchema = z
  .strictObject({
    email: EmailSchema,
    password: z.string().min(1).max(PASSWORD_MAX_LENGTH).meta({ description: "Password." }),
  })
  .meta({ id: "LoginRequest" });

export const RefreshInputSchema = z
  .strictObject({ refreshToken: RefreshTokenSchema })
  .meta({ id: "RefreshRequest" });

export const LogoutInputSchema = z
  .strictObject({ refreshToken: RefreshTokenSchema })
  .meta({ id: "LogoutRequest" });

export const TokensSchema = z
  .object({
    accessToken: z
      .string()
      .meta({ description: "JWT to send as `Authorization: Bearer <token>`." }),
    refreshToken: z.string().meta({
      description: "Opaque, single-use refresh token. Each refresh returns a new one.",
    }),
    tokenType: z.literal("Bearer"),
    expiresIn: z
      .number()
      .int()
      .meta({ description: "Access token lifetime in seconds.", example: 900 }),
    refreshExpiresIn: z.number().int().meta({
      description: "Seconds until the refresh token expires if unused.",
      example: 2592000,
    }),
  })
  .meta({ id: "Tokens" });

export const AuthResponseSchema = z
  .object({ user: UserSchema, tokens: TokensSchema })
  .meta({ id: "AuthResponse" });

export const TokensResponseSchema = z
  .object({ tokens: TokensSchema })
  .meta({ id: "TokensResponse" });

export type RegisterInput = z.infer<typeof RegisterInputSchema>;
export type LoginInput = z.infer<typeof LoginInputSchema>;
export type Tokens = z.infer<typeof TokensSchema>;
export type AuthResponse = z.infer<typeof AuthResponseSchema>;
