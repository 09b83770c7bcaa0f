-- One edit per object kind of sensors.sql, each followed by the text `strata check` must show.
-- expect: reading_bad
DROP INDEX reading_bad; CREATE INDEX reading_bad ON reading (at) WHERE quality < 40;
-- expect: sensor_site
DROP INDEX sensor_site; CREATE INDEX sensor_site ON sensor (json_extract(config, '$.site'));
-- expect: raw_frame_received
DROP INDEX raw_frame_received; CREATE INDEX raw_frame_received ON raw_frame (received, size);
-- expect: trigger reading_latest
DROP TRIGGER reading_latest; CREATE TRIGGER reading_latest AFTER INSERT ON reading BEGIN SELECT 1; END;
-- expect: view hourly
DROP VIEW hourly; CREATE VIEW hourly AS SELECT 1 AS one;
-- expect: firmware
ALTER TABLE sensor ADD COLUMN firmware TEXT;
