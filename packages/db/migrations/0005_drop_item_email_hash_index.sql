-- import_items_email_hash_idx served no query (items are read, counted and deleted by import, through
-- the primary key) and cost a third of the table's disk and about 15 % of each item insert.
-- Dropping an index takes an ACCESS EXCLUSIVE lock on import_items until the drop commits; on a live
-- database drop it first without one, outside any transaction:
--   DROP INDEX CONCURRENTLY IF EXISTS import_items_email_hash_idx;
-- and this migration then finds nothing to drop (docs/runbooks/release.md, section 2).
-- squawk-ignore require-concurrent-index-deletion
DROP INDEX IF EXISTS "import_items_email_hash_idx";
