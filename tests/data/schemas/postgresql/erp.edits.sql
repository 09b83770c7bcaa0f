-- One edit per object kind of erp.sql, each followed by the text `strata check` must show.
-- expect: product_sku_unique: deferrable
ALTER TABLE product DROP CONSTRAINT product_sku_unique, ADD CONSTRAINT product_sku_unique UNIQUE (sku);
-- expect: product_name_ci
COMMENT ON INDEX product_name_ci IS 'changed';
-- expect: product_price_sane
COMMENT ON CONSTRAINT product_price_sane ON product IS NULL;
-- expect: customer_order_number
COMMENT ON CONSTRAINT customer_order_number ON customer_order IS 'changed';
-- expect: order_line_big
DROP INDEX order_line_big; CREATE INDEX order_line_big ON order_line (order_id) WHERE quantity >= 100;
-- expect: order_line_stock
ALTER TABLE order_line DROP CONSTRAINT order_line_stock;
ALTER TABLE order_line ADD CONSTRAINT order_line_stock FOREIGN KEY (warehouse, product_id, bin)
    REFERENCES stock_level (warehouse, product_id, bin) ON UPDATE CASCADE;
-- expect: cutoff
ALTER TABLE warehouse ALTER COLUMN cutoff SET DEFAULT '17:00';
-- expect: column name: collation
ALTER TABLE warehouse ALTER COLUMN name TYPE text COLLATE "POSIX";
-- expect: column bin
ALTER TABLE stock_level ALTER COLUMN bin DROP DEFAULT;
-- expect: placed_at
ALTER TABLE customer_order ALTER COLUMN placed_at TYPE timestamp(3) with time zone;
-- expect: view stock_available
CREATE OR REPLACE VIEW stock_available AS
    SELECT s.warehouse, p.sku, sum(s.on_hand) AS available
    FROM stock_level s JOIN product p ON p.id = s.product_id GROUP BY s.warehouse, p.sku;
