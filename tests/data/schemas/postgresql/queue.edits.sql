-- One edit per object kind of queue.sql, each followed by the text `strata check` must show.
-- expect: jobs_ready
DROP INDEX jobs_ready; CREATE INDEX jobs_ready ON jobs (queue, priority, run_at, id) WHERE state = 'queued';
-- expect: jobs_locked_together
ALTER TABLE jobs DROP CONSTRAINT jobs_locked_together;
-- expect: trigger jobs_notify on jobs
DROP TRIGGER jobs_notify ON jobs; CREATE TRIGGER jobs_notify AFTER INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION notify_job();
-- expect: function backoff
CREATE OR REPLACE FUNCTION backoff(attempts smallint) RETURNS interval LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN make_interval(secs => least(exp(attempts), 3600));
-- expect: function purge_done
CREATE OR REPLACE PROCEDURE purge_done(older_than interval DEFAULT '30 days')
LANGUAGE sql AS $$
    DELETE FROM jobs WHERE state = 'done' AND run_at < now() - older_than;
$$;
-- expect: function add_job(task text, run_at timestamp with time zone)
CREATE OR REPLACE FUNCTION add_job(task text, run_at timestamptz) RETURNS bigint LANGUAGE sql AS $$
    SELECT add_job(task, NULL, 'urgent', run_at, NULL)
$$;
-- expect: trigger events_no_truncate on events
DROP TRIGGER events_no_truncate ON events;
-- expect: trigger events_append_only on events
COMMENT ON TRIGGER events_append_only ON events IS NULL;
-- expect: view urgent_jobs
CREATE OR REPLACE VIEW urgent_jobs AS SELECT id, queue, task, priority FROM jobs WHERE priority < 0;
-- expect: trigger queue_overview_update on queue_overview
DROP TRIGGER queue_overview_update ON queue_overview;
-- expect: payload
ALTER TABLE jobs ALTER COLUMN payload DROP DEFAULT, ALTER COLUMN payload TYPE jsonb USING payload::jsonb;
