-- One edit per object kind of analytics.sql, each followed by the text `strata check` must show.
-- expect: bookings_no_overlap
ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap;
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&);
-- expect: price_periods_room_id_valid_excl
ALTER TABLE price_periods DROP CONSTRAINT price_periods_room_id_valid_excl;
ALTER TABLE price_periods ADD EXCLUDE USING gist (room_id WITH =, valid WITH &&);
-- expect: bookings_by_booker
DROP INDEX bookings_by_booker; CREATE INDEX bookings_by_booker ON bookings (booked_by) INCLUDE (during, room_id);
-- expect: bookings_booker_hash
DROP INDEX bookings_booker_hash; CREATE INDEX bookings_booker_hash ON bookings (booked_by);
-- expect: events_time_brin
DROP INDEX events_time_brin; CREATE INDEX events_time_brin ON events USING brin (occurred_at);
-- expect: events_old
ALTER TABLE events DETACH PARTITION events_old;
-- expect: regions_dach
ALTER TABLE regions DETACH PARTITION regions_dach;
ALTER TABLE regions ATTACH PARTITION regions_dach FOR VALUES IN ('DE', 'AT');
-- expect: domain positive_amount
ALTER DOMAIN positive_amount DROP NOT NULL;
-- expect: composite_type geo_point
ALTER TYPE geo_point ADD ATTRIBUTE alt real CASCADE;
-- expect: sequence batch_ids
ALTER SEQUENCE batch_ids CACHE 1;
-- expect: trigger bookings_loaded on bookings
DROP TRIGGER bookings_loaded ON bookings;
CREATE TRIGGER bookings_loaded AFTER INSERT ON bookings FOR EACH STATEMENT EXECUTE FUNCTION audit_load();
-- expect: index daily_revenue_country
DROP INDEX daily_revenue_country; CREATE INDEX daily_revenue_country ON daily_revenue (country);
-- expect: materialized_view daily_revenue
DROP MATERIALIZED VIEW daily_revenue;
CREATE MATERIALIZED VIEW daily_revenue AS
    SELECT date_trunc('day', occurred_at) AS day, country, sum(amount) AS revenue, count(*) AS events
    FROM events GROUP BY 1, 2 WITH NO DATA;
-- expect: column source
ALTER TABLE load_audit ADD COLUMN source text;
