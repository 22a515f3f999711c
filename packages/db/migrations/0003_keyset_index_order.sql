DROP INDEX "audit_events_user_id_created_at_idx";--> statement-breakpoint
DROP INDEX "users_created_at_id_idx";--> statement-breakpoint
DROP INDEX "dead_letters_created_idx";--> statement-breakpoint
DROP INDEX "imports_user_created_idx";--> statement-breakpoint
DROP INDEX "imports_created_idx";--> statement-breakpoint
CREATE INDEX "imports_user_status_created_idx" ON "imports" USING btree ("user_id","status","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_user_id_created_at_idx" ON "audit_events" USING btree ("user_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "users_created_at_id_idx" ON "users" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "dead_letters_created_idx" ON "dead_letters" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "imports_user_created_idx" ON "imports" USING btree ("user_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "imports_created_idx" ON "imports" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);