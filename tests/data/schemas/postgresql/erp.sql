-- An order and stock system in the style of Django and hand-written ERP
-- databases: serial, bigserial and smallserial keys with their owned sequences,
-- deferrable unique constraints, multi-column and ON UPDATE CASCADE keys,
-- expression and unique expression indexes, "C" collations, interval, uuid,
-- money-like numerics, enum arrays, and comments on indexes and constraints.
CREATE TYPE order_status AS ENUM ('draft', 'placed', 'paid', 'shipped', 'cancelled');

CREATE TABLE warehouse (
    code varchar(8) COLLATE "C" PRIMARY KEY,
    name text NOT NULL,
    opened date NOT NULL DEFAULT CURRENT_DATE,
    cutoff time without time zone NOT NULL DEFAULT '16:30',
    lead_time interval NOT NULL DEFAULT '2 days'
);

CREATE TABLE product (
    id bigserial PRIMARY KEY,
    sku varchar(32) COLLATE "C" NOT NULL,
    name text NOT NULL,
    unit_price numeric(14,4) NOT NULL DEFAULT 0,
    weight_kg real,
    public_id uuid NOT NULL DEFAULT gen_random_uuid(),
    statuses_allowed order_status[] NOT NULL DEFAULT '{draft,placed}',
    CONSTRAINT product_sku_unique UNIQUE (sku) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT product_price_sane CHECK (unit_price >= 0 AND unit_price < 1000000)
);
CREATE UNIQUE INDEX product_name_ci ON product (lower(name));
CREATE INDEX product_public ON product USING hash (public_id);
COMMENT ON INDEX product_name_ci IS 'names differ in more than case';
COMMENT ON CONSTRAINT product_price_sane ON product IS 'a typo guard, not a business rule';

CREATE TABLE stock_level (
    warehouse varchar(8) COLLATE "C" NOT NULL REFERENCES warehouse (code) ON UPDATE CASCADE,
    product_id bigint NOT NULL REFERENCES product (id),
    bin smallserial,
    on_hand integer NOT NULL DEFAULT 0,
    reserved integer NOT NULL DEFAULT 0,
    PRIMARY KEY (warehouse, product_id, bin),
    CHECK (reserved <= on_hand)
);

CREATE TABLE customer_order (
    id serial PRIMARY KEY,
    number varchar(20) NOT NULL,
    status order_status NOT NULL DEFAULT 'draft',
    placed_at timestamp(0) with time zone,
    ship_from varchar(8) COLLATE "C" REFERENCES warehouse (code) ON UPDATE CASCADE ON DELETE SET NULL,
    total numeric(14,2) GENERATED ALWAYS AS (0) STORED,
    CONSTRAINT customer_order_number UNIQUE (number),
    CONSTRAINT placed_orders_have_time CHECK (status = 'draft' OR placed_at IS NOT NULL)
);
COMMENT ON CONSTRAINT customer_order_number ON customer_order IS 'as printed on the invoice';

CREATE TABLE order_line (
    order_id integer NOT NULL REFERENCES customer_order ON DELETE CASCADE,
    line smallint NOT NULL,
    warehouse varchar(8) COLLATE "C" NOT NULL,
    product_id bigint NOT NULL,
    bin smallint NOT NULL,
    quantity integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, line),
    CONSTRAINT order_line_stock FOREIGN KEY (warehouse, product_id, bin)
        REFERENCES stock_level (warehouse, product_id, bin) MATCH FULL ON UPDATE CASCADE
);
CREATE INDEX order_line_stock ON order_line (warehouse, product_id, bin);
CREATE INDEX order_line_big ON order_line (order_id) WHERE quantity >= 100;
COMMENT ON INDEX order_line_big IS 'bulk orders get a second look';

CREATE VIEW stock_available AS
    SELECT s.warehouse, p.sku, sum(s.on_hand - s.reserved) AS available
    FROM stock_level s JOIN product p ON p.id = s.product_id GROUP BY s.warehouse, p.sku;
