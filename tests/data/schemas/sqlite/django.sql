-- A Django project's SQLite database as its migrations leave it: "id" integer
-- NOT NULL PRIMARY KEY AUTOINCREMENT, bool and decimal declared types, CHECK
-- constraints for PositiveIntegerField and JSONField, DEFERRABLE INITIALLY
-- DEFERRED foreign keys declared inline, hashed index names, a unique
-- together index and a table Django rebuilt with a leftover quoted default.
CREATE TABLE "django_migrations" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "applied" datetime NOT NULL);
CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "first_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL);
CREATE TABLE "shop_category" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL, "slug" varchar(50) NOT NULL UNIQUE, "parent_id" bigint NULL REFERENCES "shop_category" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "shop_product" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(200) NOT NULL, "price" decimal NOT NULL, "stock" integer unsigned NOT NULL CHECK ("stock" >= 0), "attributes" text NOT NULL CHECK ((JSON_VALID("attributes") OR "attributes" IS NULL)), "created" datetime NOT NULL, "category_id" bigint NOT NULL REFERENCES "shop_category" ("id") DEFERRABLE INITIALLY DEFERRED, "owner_id" integer NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "rating" real NULL, "status" varchar(10) DEFAULT 'draft' NOT NULL);
CREATE INDEX "shop_category_parent_id_5f1e4c3a" ON "shop_category" ("parent_id");
CREATE INDEX "shop_product_category_id_ab3c9e7f" ON "shop_product" ("category_id");
CREATE INDEX "shop_product_owner_id_11d0b2a5" ON "shop_product" ("owner_id");
CREATE TABLE "shop_review" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "stars" smallint unsigned NOT NULL CHECK ("stars" >= 0), "text" text NOT NULL, "product_id" bigint NOT NULL REFERENCES "shop_product" ("id") DEFERRABLE INITIALLY DEFERRED, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, CONSTRAINT "one_review_per_user" UNIQUE ("product_id", "user_id"), CONSTRAINT "stars_in_range" CHECK (("stars" >= 1 AND "stars" <= 5)));
CREATE INDEX "shop_review_user_id_0a9c1d2e" ON "shop_review" ("user_id");
CREATE UNIQUE INDEX "shop_product_title_owner_uniq" ON "shop_product" ("title", "owner_id");
CREATE INDEX "shop_product_live_idx" ON "shop_product" ("created") WHERE "status" = 'live';
