-- One edit per object kind of notes.sql, each followed by the text `strata check` must show.
-- expect: index_notes_modified_at
DROP INDEX index_notes_modified_at; CREATE INDEX `index_notes_modified_at` ON `notes` (`modified_at` DESC);
-- expect: index_folders_name
DROP INDEX index_folders_name; CREATE INDEX `index_folders_name` ON `folders` (`name`);
-- expect: trigger notes_count_insert
DROP TRIGGER notes_count_insert;
-- expect: trigger notes_touch
DROP TRIGGER notes_touch; CREATE TRIGGER `notes_touch` AFTER UPDATE OF `title` ON `notes` FOR EACH ROW BEGIN SELECT 1; END;
-- expect: view note_list
DROP VIEW note_list; CREATE VIEW `note_list` AS SELECT n.`id` FROM `notes` n;
-- expect: archived
ALTER TABLE folders ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
