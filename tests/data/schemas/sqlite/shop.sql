-- A small shop in the styles SQLite projects use: STRICT and WITHOUT ROWID
-- tables, keys that are not rowid aliases, AUTOINCREMENT, generated columns,
-- collations, partial and expression indexes, triggers and views on views.
CREATE TABLE category (
  category_id SMALLINT NOT NULL,
  name VARCHAR(25) NOT NULL COLLATE NOCASE,
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (category_id)
);
CREATE TABLE product (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  sku TEXT NOT NULL UNIQUE,
  category_id SMALLINT REFERENCES category (category_id) ON DELETE SET NULL,
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  price REAL GENERATED ALWAYS AS (price_cents / 100.0) VIRTUAL,
  label TEXT GENERATED ALWAYS AS (upper(sku)) STORED,
  discontinued BOOLEAN NOT NULL DEFAULT 0
);
CREATE TABLE stock (
  product_id INTEGER NOT NULL REFERENCES product (id) ON DELETE CASCADE,
  warehouse TEXT NOT NULL,
  qty INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (product_id, warehouse)
) WITHOUT ROWID;
CREATE TABLE price_log (
  id INTEGER PRIMARY KEY,
  product_id INTEGER NOT NULL,
  old_cents INTEGER,
  new_cents INTEGER NOT NULL,
  at TEXT NOT NULL DEFAULT (datetime('now'))
) STRICT;
CREATE TABLE tag (name TEXT PRIMARY KEY, weight REAL) STRICT, WITHOUT ROWID;
CREATE INDEX ix_product_active ON product (category_id) WHERE discontinued = 0;
CREATE INDEX ix_product_sku_lower ON product (lower(sku) COLLATE NOCASE DESC);
CREATE TRIGGER product_price_log AFTER UPDATE OF price_cents ON product
WHEN OLD.price_cents <> NEW.price_cents
BEGIN
  INSERT INTO price_log (product_id, old_cents, new_cents) VALUES (NEW.id, OLD.price_cents, NEW.price_cents);
END;
CREATE VIEW active_product AS SELECT id, sku, price FROM product WHERE discontinued = 0;
CREATE VIEW cheap_product AS SELECT * FROM active_product WHERE price < 5;
