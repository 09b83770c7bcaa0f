-- One edit per object kind of django.sql, each followed by the text `strata check` must show.
-- expect: shop_product_live_idx
DROP INDEX shop_product_live_idx; CREATE INDEX "shop_product_live_idx" ON "shop_product" ("created") WHERE "status" <> 'draft';
-- expect: shop_product_title_owner_uniq
DROP INDEX shop_product_title_owner_uniq; CREATE INDEX "shop_product_title_owner_uniq" ON "shop_product" ("title", "owner_id");
-- expect: stars_in_range
CREATE TABLE "new__shop_review" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "stars" smallint unsigned NOT NULL CHECK ("stars" >= 0), "text" text NOT NULL, "product_id" bigint NOT NULL REFERENCES "shop_product" ("id") DEFERRABLE INITIALLY DEFERRED, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, CONSTRAINT "one_review_per_user" UNIQUE ("product_id", "user_id"));
INSERT INTO "new__shop_review" SELECT * FROM "shop_review"; DROP TABLE "shop_review"; ALTER TABLE "new__shop_review" RENAME TO "shop_review";
CREATE INDEX "shop_review_user_id_0a9c1d2e" ON "shop_review" ("user_id");
-- expect: first_name
ALTER TABLE auth_user RENAME COLUMN first_name TO given_name;
