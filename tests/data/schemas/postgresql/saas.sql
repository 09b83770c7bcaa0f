-- A multi-tenant SaaS application: accounts and sessions in a schema of their
-- own (auth), the product's tables in another (app), every tenant's rows
-- fenced by row-level security on a session setting, keys that span schemas,
-- a SECURITY DEFINER function, uuid keys and composite foreign keys that carry
-- the tenant.
-- schemas: public, auth, app
CREATE SCHEMA IF NOT EXISTS auth;
CREATE SCHEMA IF NOT EXISTS app;
CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA public;

CREATE TABLE auth.tenants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    plan text NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'team', 'enterprise')),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE auth.users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES auth.tenants (id) ON DELETE CASCADE,
    email text NOT NULL,
    password_hash text NOT NULL,
    last_login timestamptz,
    UNIQUE (tenant_id, email),
    UNIQUE (tenant_id, id)
);
CREATE TABLE auth.sessions (
    token bytea PRIMARY KEY DEFAULT public.gen_random_bytes(32),
    user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL DEFAULT now() + interval '14 days'
);
CREATE INDEX sessions_expiry ON auth.sessions USING brin (expires_at);
CREATE FUNCTION auth.current_tenant() RETURNS uuid LANGUAGE sql STABLE AS $$
    SELECT nullif(current_setting('app.tenant_id', true), '')::uuid
$$;
COMMENT ON FUNCTION auth.current_tenant() IS 'the tenant the connection acts for';

CREATE TYPE app.priority AS ENUM ('low', 'normal', 'high', 'urgent');
CREATE DOMAIN app.hex_colour AS char(7) CHECK (VALUE ~ '^#[0-9a-f]{6}$');

CREATE TABLE app.projects (
    tenant_id uuid NOT NULL DEFAULT auth.current_tenant() REFERENCES auth.tenants (id) ON DELETE CASCADE,
    id bigint GENERATED ALWAYS AS IDENTITY,
    name text NOT NULL,
    colour app.hex_colour NOT NULL DEFAULT '#336699',
    archived boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
);
CREATE TABLE app.tasks (
    tenant_id uuid NOT NULL DEFAULT auth.current_tenant(),
    id bigint GENERATED ALWAYS AS IDENTITY,
    project_id bigint NOT NULL,
    assignee uuid,
    title text NOT NULL,
    priority app.priority NOT NULL DEFAULT 'normal',
    due date,
    done_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES app.projects (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, assignee) REFERENCES auth.users (tenant_id, id) ON DELETE SET NULL
);
CREATE INDEX tasks_open ON app.tasks (tenant_id, project_id, due) WHERE done_at IS NULL;
CREATE INDEX tasks_assignee ON app.tasks (tenant_id, assignee) INCLUDE (title, due);
COMMENT ON TABLE app.tasks IS 'one row per task; tenants see only their own';
COMMENT ON COLUMN app.tasks.done_at IS 'NULL while open';

CREATE TABLE app.audit_log (
    tenant_id uuid NOT NULL DEFAULT auth.current_tenant(),
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor uuid,
    action text NOT NULL,
    detail jsonb
) PARTITION BY HASH (tenant_id);
CREATE TABLE app.audit_log_0 PARTITION OF app.audit_log FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE app.audit_log_1 PARTITION OF app.audit_log FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE INDEX audit_log_at ON app.audit_log (tenant_id, at DESC);

CREATE FUNCTION app.audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = app, pg_temp AS $$
BEGIN
    INSERT INTO audit_log (tenant_id, actor, action, detail)
    VALUES (NEW.tenant_id, nullif(current_setting('app.user_id', true), '')::uuid, TG_TABLE_NAME || '.' || lower(TG_OP),
            to_jsonb(NEW));
    RETURN NEW;
END
$$;
CREATE TRIGGER tasks_audited AFTER INSERT OR UPDATE ON app.tasks FOR EACH ROW EXECUTE FUNCTION app.audit();
CREATE TRIGGER projects_audited AFTER INSERT OR UPDATE OF name, archived ON app.projects
    FOR EACH ROW EXECUTE FUNCTION app.audit();

ALTER TABLE app.projects ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.tasks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.projects USING (tenant_id = auth.current_tenant());
CREATE POLICY tenant_isolation ON app.tasks USING (tenant_id = auth.current_tenant())
    WITH CHECK (tenant_id = auth.current_tenant());
CREATE POLICY no_urgent_deletes ON app.tasks AS RESTRICTIVE FOR DELETE USING (priority <> 'urgent');

CREATE VIEW app.my_open_tasks WITH (security_invoker = true) AS
    SELECT t.id, t.title, t.priority, t.due, p.name AS project
    FROM app.tasks t JOIN app.projects p USING (tenant_id) WHERE p.id = t.project_id AND t.done_at IS NULL;
CREATE VIEW app.task_counts AS
    SELECT tenant_id, priority, count(*) AS open FROM app.tasks WHERE done_at IS NULL GROUP BY 1, 2;
