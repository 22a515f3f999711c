INSERT INTO "roles" ("name", "description") VALUES
  ('user', 'Every registered account'),
  ('admin', 'Manages users, roles and operations')
ON CONFLICT ("name") DO NOTHING;
