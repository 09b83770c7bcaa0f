-- One edit per object kind of forum.sql, each followed by the text `strata check` must show.
-- expect: signature
ALTER TABLE users ALTER COLUMN signature TYPE varchar(1000);
-- expect: users_email_live
DROP INDEX users_email_live; CREATE UNIQUE INDEX users_email_live ON users (email);
-- expect: users_settings
DROP INDEX users_settings; CREATE INDEX users_settings ON users USING gin (settings);
-- expect: topics_board_recent
DROP INDEX topics_board_recent; CREATE INDEX topics_board_recent ON topics (board_id, pinned DESC, last_post_at DESC);
-- expect: posts_reply_fk
ALTER TABLE posts ALTER CONSTRAINT posts_reply_fk NOT DEFERRABLE;
-- expect: posts_not_own_reply
ALTER TABLE posts DROP CONSTRAINT posts_not_own_reply;
-- expect: search
ALTER TABLE posts DROP COLUMN search;
ALTER TABLE posts ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, body)) STORED;
-- expect: enum user_role
ALTER TYPE user_role ADD VALUE 'guest' BEFORE 'member';
-- expect: extension pg_trgm
DROP INDEX topics_title_trgm; DROP EXTENSION pg_trgm;
-- expect: function count_post
CREATE OR REPLACE FUNCTION count_post() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
-- expect: trigger posts_locked on posts
DROP TRIGGER posts_locked ON posts;
CREATE TRIGGER posts_locked BEFORE INSERT ON posts FOR EACH ROW EXECUTE FUNCTION refuse_locked();
-- expect: function search_posts
CREATE OR REPLACE FUNCTION search_posts(query text, max_rows integer DEFAULT 50)
RETURNS TABLE (post_id bigint, rank real) LANGUAGE sql STABLE AS $$
    SELECT p.id, ts_rank(p.search, q) FROM posts p, plainto_tsquery('english', query) q
    WHERE p.search @@ q ORDER BY 2 DESC LIMIT max_rows
$$;
-- expect: view busy_boards
CREATE OR REPLACE VIEW busy_boards AS
    SELECT board, count(*) AS topics, sum(replies) AS replies FROM front_page GROUP BY board HAVING count(*) > 10;
-- expect: view front_page
COMMENT ON VIEW front_page IS NULL;
-- expect: column id: identity
ALTER TABLE boards ALTER COLUMN id SET INCREMENT BY 1;
-- expect: moderators
ALTER TABLE boards ALTER COLUMN moderators DROP DEFAULT;
