-- One edit per object kind of the app schema of saas.sql, each followed by the
-- text `strata check` must show.
-- expect: tasks_assignee
DROP INDEX tasks_assignee; CREATE INDEX tasks_assignee ON tasks (tenant_id, assignee) INCLUDE (title);
-- expect: policy tenant_isolation on tasks
ALTER POLICY tenant_isolation ON tasks WITH CHECK (true);
-- expect: policy no_urgent_deletes on tasks
DROP POLICY no_urgent_deletes ON tasks;
CREATE POLICY no_urgent_deletes ON tasks AS PERMISSIVE FOR DELETE USING (priority <> 'urgent');
-- expect: row_security
ALTER TABLE projects DISABLE ROW LEVEL SECURITY;
-- expect: modulus 4
ALTER TABLE audit_log DETACH PARTITION audit_log_1;
ALTER TABLE audit_log ATTACH PARTITION audit_log_1 FOR VALUES WITH (MODULUS 4, REMAINDER 1);
-- expect: domain hex_colour
ALTER DOMAIN hex_colour DROP CONSTRAINT hex_colour_check;
-- expect: function audit
ALTER FUNCTION audit() SECURITY INVOKER;
-- expect: trigger projects_audited on projects
DROP TRIGGER projects_audited ON projects;
CREATE TRIGGER projects_audited AFTER INSERT OR UPDATE ON projects FOR EACH ROW EXECUTE FUNCTION audit();
-- expect: view my_open_tasks
ALTER VIEW my_open_tasks SET (security_invoker = false);
-- expect: column tenant_id
ALTER TABLE tasks ALTER COLUMN tenant_id DROP DEFAULT;
-- expect: tasks_tenant_id_assignee_fkey
ALTER TABLE tasks DROP CONSTRAINT tasks_tenant_id_assignee_fkey;
ALTER TABLE tasks ADD CONSTRAINT tasks_tenant_id_assignee_fkey FOREIGN KEY (tenant_id, assignee)
    REFERENCES auth.users (tenant_id, id);
