-- A SQLite schema strata did not write: hand-written DDL in the styles people use.
CREATE TABLE "order" (
  id INTEGER PRIMARY KEY,
  "customer name" TEXT NOT NULL COLLATE NOCASE,
  placed DATETIME DEFAULT (CURRENT_TIMESTAMP),
  total DECIMAL(10,2) NOT NULL DEFAULT 0 CHECK (total >= 0),
  status VARCHAR(16) DEFAULT 'new' CONSTRAINT ck_status CHECK (status IN ('new', 'paid', 'shipped')),
  region INT, number INT,
  UNIQUE (region, number)
);
CREATE TABLE [group] (`key` TEXT, `select` INTEGER, label TEXT, PRIMARY KEY (`key`, `select`)) WITHOUT ROWID;
CREATE TABLE line (
  order_id INTEGER NOT NULL REFERENCES "order" (id) ON DELETE CASCADE ON UPDATE CASCADE,
  n INTEGER NOT NULL,
  group_key TEXT, group_select INTEGER,
  qty REAL DEFAULT 1.0, price NUMERIC,
  note BLOB DEFAULT X'00',
  amount REAL GENERATED ALWAYS AS (qty * price) VIRTUAL,
  PRIMARY KEY (order_id, n),
  FOREIGN KEY (group_key, group_select) REFERENCES [group] (`key`, `select`) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reuses ids
  at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  what TEXT, payload JSON, ref UUID, size BIGINT DEFAULT -1
);
CREATE INDEX ix_order_status ON "order" (status) WHERE status <> 'shipped';
CREATE INDEX ix_order_placed_desc ON "order" (placed DESC, id);
CREATE UNIQUE INDEX ux_order_customer ON "order" (lower("customer name"), region);
CREATE INDEX "ix line total" ON line ((qty * price) DESC);
CREATE VIEW open_orders AS SELECT id, "customer name" FROM "order" WHERE status <> 'shipped';
CREATE VIEW order_totals (order_id, total) AS SELECT order_id, sum(qty * price) FROM line GROUP BY order_id;
CREATE TRIGGER log_paid AFTER UPDATE OF status ON "order" WHEN NEW.status = 'paid'
BEGIN
  INSERT INTO audit_log (what) VALUES ('order ' || NEW.id || ' paid; thanks');
END;
