-- One edit per object kind of rails.sql, each followed by the text `strata check` must show.
-- expect: index_projects_on_archived_at
DROP INDEX index_projects_on_archived_at; CREATE INDEX "index_projects_on_archived_at" ON "projects" ("archived_at");
-- expect: index_users_on_account_id_and_email
DROP INDEX index_users_on_account_id_and_email; CREATE UNIQUE INDEX "index_users_on_account_id_and_email" ON "users" ("email", "account_id");
-- expect: nickname
ALTER TABLE users ADD COLUMN nickname varchar;
-- expect: table accounts
CREATE TABLE "accounts_new" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar NOT NULL, "plan" varchar DEFAULT 'free' NOT NULL, "seats" integer DEFAULT 1 NOT NULL, "trial_ends_on" date, "settings" json DEFAULT '{}' NOT NULL, "created_at" datetime(6) NOT NULL, "updated_at" datetime(6) NOT NULL);
PRAGMA legacy_alter_table = ON; DROP TABLE accounts; ALTER TABLE accounts_new RENAME TO accounts;
