import { z } from "zod";

const CheckStatusSchema = z.enum(["pass", "warn", "fail"]).meta({
  id: "DatabaseCheckStatus",
  description: "pass; warn (works, but not as production wants it); fail (fix before launch).",
});

export const DatabaseCheckSchema = z
  .object({
    name: z.string().meta({ description: "What was checked.", example: "migrations" }),
    status: CheckStatusSchema,
    reason: z.string().meta({
      description: "One line saying why; never a secret.",
      example: "6 applied, checksums match (latest 0005_drop_item_email_hash_index)",
    }),
  })
  .meta({ id: "DatabaseCheck" });

export const DatabaseReportSchema = z
  .object({
    status: CheckStatusSchema,
    checkedAt: z.string().meta({ description: "When the checks ran, ISO-8601." }),
    checks: z.array(DatabaseCheckSchema),
  })
  .meta({
    id: "DatabaseReport",
    description: "The `pnpm db:verify` checks, run against the API's own database.",
  });

export type DatabaseReportOutput = z.infer<typeof DatabaseReportSchema>;
