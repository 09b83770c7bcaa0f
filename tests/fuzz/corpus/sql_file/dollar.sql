-- up
CREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN NEW.updated = now(); RETURN NEW; END; $$ LANGUAGE plpgsql;
INSERT INTO t VALUES ('-- down');
-- down
DROP FUNCTION touch();
