-- A Rails application's SQLite database as db/schema.rb loads it: id integer
-- PRIMARY KEY AUTOINCREMENT NOT NULL, datetime(6) timestamps, varchar without
-- a length, index_<table>_on_<columns> names, unique and composite indexes,
-- foreign keys added after the table (so the table is rebuilt with them),
-- and Active Storage's tables.
CREATE TABLE IF NOT EXISTS "schema_migrations" ("version" varchar NOT NULL PRIMARY KEY);
CREATE TABLE IF NOT EXISTS "ar_internal_metadata" ("key" varchar NOT NULL PRIMARY KEY, "value" varchar, "created_at" datetime(6) NOT NULL, "updated_at" datetime(6) NOT NULL);
CREATE TABLE IF NOT EXISTS "accounts" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar NOT NULL, "plan" varchar DEFAULT 'trial' NOT NULL, "seats" integer DEFAULT 1 NOT NULL, "trial_ends_on" date, "settings" json DEFAULT '{}' NOT NULL, "created_at" datetime(6) NOT NULL, "updated_at" datetime(6) NOT NULL);
CREATE TABLE IF NOT EXISTS "users" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "account_id" integer NOT NULL, "email" varchar NOT NULL, "encrypted_password" varchar DEFAULT '' NOT NULL, "admin" boolean DEFAULT FALSE NOT NULL, "sign_in_count" integer DEFAULT 0 NOT NULL, "last_sign_in_at" datetime(6), "balance" decimal(12,2) DEFAULT 0.0, "created_at" datetime(6) NOT NULL, "updated_at" datetime(6) NOT NULL, CONSTRAINT "fk_rails_61ac11da2b"
FOREIGN KEY ("account_id")
  REFERENCES "accounts" ("id")
);
CREATE INDEX "index_users_on_account_id" ON "users" ("account_id");
CREATE UNIQUE INDEX "index_users_on_account_id_and_email" ON "users" ("account_id", "email");
CREATE TABLE IF NOT EXISTS "projects" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "account_id" integer NOT NULL, "owner_id" integer, "name" varchar NOT NULL, "archived_at" datetime(6), "position" integer, "created_at" datetime(6) NOT NULL, "updated_at" datetime(6) NOT NULL, CONSTRAINT "fk_rails_b4884d7210"
FOREIGN KEY ("owner_id")
  REFERENCES "users" ("id")
 ON DELETE SET NULL, CONSTRAINT "fk_rails_c1ff6fa4ac"
FOREIGN KEY ("account_id")
  REFERENCES "accounts" ("id")
 ON DELETE CASCADE);
CREATE INDEX "index_projects_on_account_id_and_position" ON "projects" ("account_id", "position");
CREATE INDEX "index_projects_on_owner_id" ON "projects" ("owner_id");
CREATE INDEX "index_projects_on_archived_at" ON "projects" ("archived_at") WHERE archived_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS "active_storage_blobs" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "key" varchar NOT NULL, "filename" varchar NOT NULL, "content_type" varchar, "metadata" text, "service_name" varchar NOT NULL, "byte_size" bigint NOT NULL, "checksum" varchar, "created_at" datetime(6) NOT NULL);
CREATE UNIQUE INDEX "index_active_storage_blobs_on_key" ON "active_storage_blobs" ("key");
CREATE TABLE IF NOT EXISTS "active_storage_attachments" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar NOT NULL, "record_type" varchar NOT NULL, "record_id" bigint NOT NULL, "blob_id" bigint NOT NULL, "created_at" datetime(6) NOT NULL, CONSTRAINT "fk_rails_c3b3935057"
FOREIGN KEY ("blob_id")
  REFERENCES "active_storage_blobs" ("id")
);
CREATE INDEX "index_active_storage_attachments_on_blob_id" ON "active_storage_attachments" ("blob_id");
CREATE UNIQUE INDEX "index_active_storage_attachments_uniqueness" ON "active_storage_attachments" ("record_type", "record_id", "name", "blob_id");
