-- An analytics and booking warehouse: exclusion constraints over ranges
-- (btree_gist), covering INCLUDE indexes, BRIN and hash indexes, list
-- partitions with a default, range partitions split again by hash, stored
-- generated columns, domains with NOT NULL, a composite type, statement-level
-- triggers with transition tables, and materialized rollups with their indexes.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE DOMAIN positive_amount AS numeric(12,2) NOT NULL CHECK (VALUE > 0);
CREATE DOMAIN country_code AS char(2) CHECK (VALUE ~ '^[A-Z]{2}$');
CREATE TYPE geo_point AS (lat double precision, lon double precision);
CREATE SEQUENCE batch_ids AS bigint START WITH 1 CACHE 20;

CREATE TABLE rooms (
    room_id integer PRIMARY KEY,
    site text NOT NULL,
    capacity smallint NOT NULL CHECK (capacity > 0),
    location geo_point
);
CREATE TABLE bookings (
    booking_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id integer NOT NULL REFERENCES rooms,
    booked_by text NOT NULL,
    during tstzrange NOT NULL,
    cancelled boolean NOT NULL DEFAULT false,
    hours numeric GENERATED ALWAYS AS (round((extract(epoch FROM upper(during) - lower(during)) / 3600)::numeric, 2)) STORED,
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&) WHERE (NOT cancelled),
    CONSTRAINT bookings_bounded CHECK (NOT upper_inf(during) AND NOT lower_inf(during))
);
CREATE INDEX bookings_by_booker ON bookings (booked_by) INCLUDE (room_id, during);
CREATE INDEX bookings_booker_hash ON bookings USING hash (booked_by);

CREATE TABLE price_periods (
    room_id integer NOT NULL REFERENCES rooms ON DELETE CASCADE,
    valid daterange NOT NULL,
    price positive_amount,
    EXCLUDE USING gist (room_id WITH =, valid WITH &&) DEFERRABLE INITIALLY IMMEDIATE
);

CREATE TABLE events (
    event_id bigint NOT NULL,
    occurred_at timestamptz NOT NULL,
    country country_code,
    kind text NOT NULL,
    amount numeric(12,2),
    payload jsonb,
    batch_id bigint NOT NULL DEFAULT nextval('batch_ids'),
    PRIMARY KEY (occurred_at, event_id)
) PARTITION BY RANGE (occurred_at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2027-01-01 00:00:00+00')
    PARTITION BY HASH (event_id);
CREATE TABLE events_2026_h0 PARTITION OF events_2026 FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE events_2026_h1 PARTITION OF events_2026 FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE events_old PARTITION OF events DEFAULT;
CREATE INDEX events_time_brin ON events USING brin (occurred_at) WITH (pages_per_range = 32);
CREATE INDEX events_kind ON events (kind, occurred_at DESC) INCLUDE (amount);
COMMENT ON TABLE events_old IS 'everything before 2026';

CREATE TABLE regions (
    country country_code NOT NULL,
    region text NOT NULL,
    tier smallint NOT NULL DEFAULT 3
) PARTITION BY LIST (country);
CREATE TABLE regions_dach PARTITION OF regions FOR VALUES IN ('DE', 'AT', 'CH');
CREATE TABLE regions_other PARTITION OF regions DEFAULT;

CREATE TABLE load_audit (
    loaded_at timestamptz NOT NULL DEFAULT statement_timestamp(),
    table_name name NOT NULL,
    row_count bigint NOT NULL
);
CREATE FUNCTION audit_load() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO load_audit (table_name, row_count) SELECT TG_TABLE_NAME, count(*) FROM new_rows;
    RETURN NULL;
END
$$;
CREATE TRIGGER bookings_loaded AFTER INSERT ON bookings REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_load();

CREATE MATERIALIZED VIEW daily_revenue AS
    SELECT date_trunc('day', occurred_at) AS day, country, sum(amount) AS revenue, count(*) AS events
    FROM events WHERE kind = 'sale' GROUP BY 1, 2
    WITH NO DATA;
CREATE UNIQUE INDEX daily_revenue_key ON daily_revenue (day, country);
CREATE INDEX daily_revenue_country ON daily_revenue (country) INCLUDE (revenue);
CREATE MATERIALIZED VIEW room_use AS
    SELECT r.room_id, r.site, sum(b.hours) AS hours FROM rooms r LEFT JOIN bookings b USING (room_id)
    WHERE NOT coalesce(b.cancelled, false) GROUP BY r.room_id, r.site
    WITH NO DATA;
COMMENT ON MATERIALIZED VIEW room_use IS 'hours booked per room';
COMMENT ON DOMAIN positive_amount IS 'money that has been paid';
