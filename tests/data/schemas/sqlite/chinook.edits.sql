-- One edit per object kind of chinook.sql, each followed by the text `strata check` must show.
-- expect: Composer
ALTER TABLE Track DROP COLUMN Composer;
-- expect: IFK_TrackAlbumId
DROP INDEX IFK_TrackAlbumId; CREATE INDEX IFK_TrackAlbumId ON Track (AlbumId, Name);
-- expect: view TrackSales
DROP VIEW TrackSales; CREATE VIEW [TrackSales] AS SELECT 1 AS x;
-- expect: table Genre
CREATE TABLE Genre (GenreId INTEGER NOT NULL PRIMARY KEY, Name NVARCHAR(120));
