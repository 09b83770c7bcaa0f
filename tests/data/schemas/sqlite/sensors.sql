-- An embedded device's time series store: WITHOUT ROWID tables clustered on
-- (sensor, time) with a descending key column, STRICT tables with ANY columns,
-- generated columns over JSON, expression indexes on json_extract, a partial
-- index, an AFTER INSERT trigger with a WHEN clause that keeps the latest
-- reading, and views built with window functions and a common table expression.
CREATE TABLE sensor (
  sensor_id TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
  kind TEXT NOT NULL CHECK (kind IN ('temperature', 'humidity', 'pressure')),
  unit TEXT NOT NULL DEFAULT 'C',
  config TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
  interval_s INTEGER GENERATED ALWAYS AS (coalesce(json_extract(config, '$.interval'), 60)) VIRTUAL,
  installed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) WITHOUT ROWID;
CREATE TABLE reading (
  sensor_id TEXT NOT NULL REFERENCES sensor (sensor_id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  value REAL NOT NULL,
  quality INTEGER NOT NULL DEFAULT 100,
  PRIMARY KEY (sensor_id, at DESC)
) WITHOUT ROWID;
CREATE TABLE latest (
  sensor_id TEXT PRIMARY KEY REFERENCES sensor (sensor_id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  value REAL NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE raw_frame (
  id INTEGER PRIMARY KEY,
  received INTEGER NOT NULL,
  body ANY,
  size INTEGER AS (length(body)) STORED
) STRICT;
CREATE INDEX reading_bad ON reading (at) WHERE quality < 50;
CREATE INDEX sensor_site ON sensor (json_extract(config, '$.site'), kind);
CREATE INDEX raw_frame_received ON raw_frame (received DESC, size);
CREATE TRIGGER reading_latest AFTER INSERT ON reading
WHEN NEW.at >= coalesce((SELECT at FROM latest WHERE sensor_id = NEW.sensor_id), -1)
BEGIN
  INSERT INTO latest (sensor_id, at, value) VALUES (NEW.sensor_id, NEW.at, NEW.value)
  ON CONFLICT (sensor_id) DO UPDATE SET at = excluded.at, value = excluded.value;
END;
CREATE VIEW reading_delta AS
  SELECT sensor_id, at, value, value - lag(value) OVER (PARTITION BY sensor_id ORDER BY at) AS delta FROM reading;
CREATE VIEW hourly AS
  WITH buckets AS (SELECT sensor_id, at / 3600 AS hour, value FROM reading)
  SELECT sensor_id, hour, min(value) AS low, max(value) AS high, avg(value) AS mean FROM buckets GROUP BY sensor_id, hour;
