ALTER TABLE "idempotency_keys" ADD COLUMN "import_id" uuid;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idempotency_keys_import_id_idx" ON "idempotency_keys" USING btree ("import_id");--> statement-breakpoint
-- Fingerprints recorded before this migration are unkeyed SHA-256 digests of the request, from
-- which contact data can be recovered: erase them. Those keys are forgotten, as when they expire.
DELETE FROM "idempotency_keys";
