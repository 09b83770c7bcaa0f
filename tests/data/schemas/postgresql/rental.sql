-- A DVD rental shop in the style of the well-known sample databases: domains,
-- enums, a composite type, a standalone sequence, SQL and PL/pgSQL functions that
-- read tables and take their row types, triggers, views on views, a materialized
-- view with its own index, and payments partitioned by month.
CREATE DOMAIN year AS integer CONSTRAINT year_check CHECK (VALUE >= 1901 AND VALUE <= 2155);
CREATE DOMAIN email AS text COLLATE "C" NOT NULL CHECK (VALUE LIKE '%@%');
CREATE TYPE mpaa_rating AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17');
CREATE TYPE money_pair AS (amount numeric(8,2), currency char(3));
CREATE SEQUENCE invoice_number AS integer START WITH 1000 INCREMENT BY 10 MINVALUE 1000 MAXVALUE 999999 CYCLE;
COMMENT ON SEQUENCE invoice_number IS 'printed on invoices';

CREATE FUNCTION last_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.last_update = CURRENT_TIMESTAMP;
    RETURN NEW;
END $$;

CREATE TABLE language (
    language_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name character(20) NOT NULL,
    last_update timestamp without time zone DEFAULT now() NOT NULL
);

CREATE TABLE film (
    film_id serial PRIMARY KEY,
    title character varying(255) NOT NULL,
    description text,
    release_year year,
    language_id integer NOT NULL REFERENCES language (language_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    rental_duration smallint DEFAULT 3 NOT NULL,
    rental_rate numeric(4,2) DEFAULT 4.99 NOT NULL,
    length smallint,
    replacement_cost numeric(5,2) DEFAULT 19.99 NOT NULL,
    rating mpaa_rating DEFAULT 'G'::mpaa_rating,
    special_features text[],
    fulltext tsvector,
    rounded_revenue numeric(7,-2),
    last_update timestamp without time zone DEFAULT now() NOT NULL
);
COMMENT ON TABLE film IS 'one row per title, not per copy';
COMMENT ON COLUMN film.rounded_revenue IS 'to the nearest hundred';
CREATE INDEX film_fulltext_idx ON film USING gist (fulltext);
CREATE INDEX idx_title ON film (title text_pattern_ops);
CREATE INDEX idx_title_lang ON film (language_id) INCLUDE (title, rating);

CREATE TABLE customer (
    customer_id serial PRIMARY KEY,
    store_id smallint NOT NULL,
    first_name character varying(45) NOT NULL,
    last_name character varying(45) NOT NULL,
    email email,
    activebool boolean DEFAULT true NOT NULL,
    create_date date DEFAULT ('now'::text)::date NOT NULL,
    last_update timestamp without time zone DEFAULT now(),
    active integer
);
CREATE INDEX idx_last_name ON customer (last_name COLLATE "C" DESC NULLS LAST);

CREATE TABLE inventory (
    inventory_id serial PRIMARY KEY,
    film_id integer NOT NULL REFERENCES film ON UPDATE CASCADE ON DELETE RESTRICT,
    store_id smallint NOT NULL,
    last_update timestamp without time zone DEFAULT now() NOT NULL
);

CREATE TABLE rental (
    rental_id serial PRIMARY KEY,
    rental_date timestamp with time zone NOT NULL,
    inventory_id integer NOT NULL REFERENCES inventory ON UPDATE CASCADE ON DELETE RESTRICT,
    customer_id integer NOT NULL REFERENCES customer ON UPDATE CASCADE ON DELETE RESTRICT DEFERRABLE,
    return_date timestamp with time zone,
    invoice integer DEFAULT nextval('invoice_number') NOT NULL,
    during tstzrange,
    last_update timestamp without time zone DEFAULT now() NOT NULL,
    CONSTRAINT rental_no_double_booking EXCLUDE USING gist (during WITH &&) WHERE (return_date IS NULL)
);
CREATE UNIQUE INDEX idx_unq_rental ON rental (rental_date, inventory_id, customer_id);

CREATE TABLE payment (
    payment_id serial,
    customer_id integer NOT NULL,
    rental_id integer,
    amount numeric(5,2) NOT NULL,
    payment_date timestamp with time zone NOT NULL,
    PRIMARY KEY (payment_date, payment_id)
) PARTITION BY RANGE (payment_date);
CREATE TABLE payment_p2026_01 PARTITION OF payment FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-02-01 00:00:00+00');
CREATE TABLE payment_p2026_02 PARTITION OF payment FOR VALUES FROM ('2026-02-01 00:00:00+00') TO ('2026-03-01 00:00:00+00');
CREATE INDEX idx_payment_customer ON payment (customer_id);
COMMENT ON TABLE payment_p2026_01 IS 'January';

-- A SQL function that reads a table: its body is checked against tables that exist.
CREATE FUNCTION inventory_in_stock(p_inventory_id integer) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT NOT EXISTS (SELECT 1 FROM rental WHERE inventory_id = p_inventory_id AND return_date IS NULL)
$$;
-- A function taking a table's row type.
CREATE FUNCTION customer_name(c customer) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT c.first_name || ' ' || c.last_name
$$;
CREATE FUNCTION film_in_stock(p_film_id integer, OUT p_film_count integer) RETURNS SETOF integer
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY SELECT inventory_id FROM inventory WHERE film_id = p_film_id AND inventory_in_stock(inventory_id);
END $$;

CREATE TRIGGER last_updated BEFORE UPDATE ON customer FOR EACH ROW EXECUTE FUNCTION last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON film FOR EACH ROW EXECUTE FUNCTION last_updated();

CREATE VIEW customer_list AS
    SELECT cu.customer_id AS id, customer_name(cu.*) AS name, cu.email FROM customer cu;
-- A view on a view, named so that it sorts before the one it reads.
CREATE VIEW active_customer_list AS SELECT * FROM customer_list WHERE id > 0;
CREATE MATERIALIZED VIEW rental_by_film AS
    SELECT i.film_id, count(*) AS rentals FROM rental r JOIN inventory i USING (inventory_id) GROUP BY i.film_id
    WITH NO DATA;
CREATE UNIQUE INDEX rental_by_film_film ON rental_by_film (film_id);
COMMENT ON MATERIALIZED VIEW rental_by_film IS 'refreshed nightly';
COMMENT ON VIEW customer_list IS 'for the front desk';
COMMENT ON FUNCTION customer_name(customer) IS 'first and last';
COMMENT ON TYPE mpaa_rating IS 'US film ratings';
COMMENT ON DOMAIN year IS 'a film year';

ALTER TABLE customer ENABLE ROW LEVEL SECURITY;
CREATE POLICY customer_own_store ON customer FOR SELECT USING (store_id = 1);
