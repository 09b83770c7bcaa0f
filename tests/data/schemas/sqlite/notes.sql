-- A notes app's database as Android's Room writes it: backquoted names,
-- `INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL`, booleans and dates as
-- INTEGER, generated index names, deferred foreign keys, a bookkeeping table
-- with a fixed key, and triggers that keep a modification time and a count.
CREATE TABLE IF NOT EXISTS `folders` (`id` INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, `name` TEXT NOT NULL, `color` INTEGER NOT NULL DEFAULT -16777216, `note_count` INTEGER NOT NULL DEFAULT 0, `sort_order` REAL NOT NULL DEFAULT 0.5);
CREATE UNIQUE INDEX IF NOT EXISTS `index_folders_name` ON `folders` (`name`);
CREATE TABLE IF NOT EXISTS `notes` (`id` INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, `uid` TEXT NOT NULL, `folder_id` INTEGER, `title` TEXT NOT NULL DEFAULT '', `body` TEXT NOT NULL, `pinned` INTEGER NOT NULL DEFAULT 0, `created_at` INTEGER NOT NULL, `modified_at` INTEGER NOT NULL, `deleted` INTEGER NOT NULL DEFAULT false, FOREIGN KEY(`folder_id`) REFERENCES `folders`(`id`) ON UPDATE NO ACTION ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED);
CREATE UNIQUE INDEX IF NOT EXISTS `index_notes_uid` ON `notes` (`uid`);
CREATE INDEX IF NOT EXISTS `index_notes_folder_id` ON `notes` (`folder_id`);
CREATE INDEX IF NOT EXISTS `index_notes_modified_at` ON `notes` (`modified_at` DESC) WHERE `deleted` = 0;
CREATE TABLE IF NOT EXISTS `attachments` (`note_id` INTEGER NOT NULL, `position` INTEGER NOT NULL, `mime` TEXT NOT NULL COLLATE NOCASE, `uri` TEXT NOT NULL, `bytes` INTEGER, PRIMARY KEY(`note_id`, `position`), FOREIGN KEY(`note_id`) REFERENCES `notes`(`id`) ON UPDATE CASCADE ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS `tags` (`name` TEXT NOT NULL COLLATE NOCASE, `created_at` INTEGER NOT NULL, PRIMARY KEY(`name`));
CREATE TABLE IF NOT EXISTS `note_tags` (`note_id` INTEGER NOT NULL, `tag` TEXT NOT NULL COLLATE NOCASE, PRIMARY KEY(`note_id`, `tag`), FOREIGN KEY(`note_id`) REFERENCES `notes`(`id`) ON DELETE CASCADE, FOREIGN KEY(`tag`) REFERENCES `tags`(`name`) ON UPDATE CASCADE ON DELETE CASCADE) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS `index_note_tags_tag` ON `note_tags` (`tag`);
CREATE TABLE IF NOT EXISTS room_master_table (id INTEGER PRIMARY KEY,identity_hash TEXT);
CREATE TRIGGER IF NOT EXISTS `notes_touch` AFTER UPDATE OF `title`, `body` ON `notes` FOR EACH ROW BEGIN UPDATE `notes` SET `modified_at` = CAST(strftime('%s', 'now') AS INTEGER) * 1000 WHERE `id` = NEW.`id`; END;
CREATE TRIGGER IF NOT EXISTS `notes_count_insert` AFTER INSERT ON `notes` WHEN NEW.`folder_id` IS NOT NULL BEGIN UPDATE `folders` SET `note_count` = `note_count` + 1 WHERE `id` = NEW.`folder_id`; END;
CREATE TRIGGER IF NOT EXISTS `notes_count_delete` AFTER DELETE ON `notes` WHEN OLD.`folder_id` IS NOT NULL BEGIN UPDATE `folders` SET `note_count` = `note_count` - 1 WHERE `id` = OLD.`folder_id`; END;
CREATE VIEW IF NOT EXISTS `note_list` AS SELECT n.`id`, n.`title`, f.`name` AS `folder`, n.`pinned`, n.`modified_at` FROM `notes` n LEFT JOIN `folders` f ON f.`id` = n.`folder_id` WHERE n.`deleted` = 0;
