-- One edit per object kind of shop.sql, each followed by the text `strata diff` must show.
-- expect: extra
ALTER TABLE product ADD COLUMN extra TEXT;
-- expect: strict
CREATE TABLE tag2 (name TEXT PRIMARY KEY, weight REAL) WITHOUT ROWID; DROP TABLE tag; ALTER TABLE tag2 RENAME TO tag;
-- expect: ix_product_sku_lower
DROP INDEX ix_product_sku_lower; CREATE INDEX ix_product_sku_lower ON product (lower(sku) DESC);
-- expect: ix_product_active
DROP INDEX ix_product_active; CREATE INDEX ix_product_active ON product (category_id) WHERE discontinued = 1;
-- expect: view cheap_product
DROP VIEW cheap_product; CREATE VIEW cheap_product AS SELECT * FROM active_product WHERE price < 6;
-- expect: trigger product_price_log
DROP TRIGGER product_price_log;
CREATE TRIGGER product_price_log AFTER UPDATE OF price_cents ON product BEGIN SELECT 1; END;
