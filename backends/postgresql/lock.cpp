// PostgreSQL and migration: a session advisory lock on the connection that does
// the work (if the connection drops, the lock goes with it), bounded waits.
#include "errors.hpp"
#include "log.hpp"
#include "postgresql_dialect.hpp"
#include "strata/errors.hpp"
#include "strata/session.hpp"
#include "strata/url.hpp"
#include "text.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <cstdio>
#include <chrono>
#include <thread>

namespace strata::postgresql {

namespace {

class AdvisoryLock final : public MigrationLock {
public:
    AdvisoryLock(Session& session, std::int64_t key) : session_(session), key_(key) {}
    ~AdvisoryLock() override
    {
        try {
            (void)session_.query("SELECT pg_advisory_unlock(?)", {key_});
        } catch (const std::exception& e) {
            // The connection is gone, and the lock with it.
            detail::logger().debug("advisory unlock: {}", e.what());
        }
    }

private:
    Session& session_;
    std::int64_t key_;
};

}  // namespace

namespace {

std::int64_t backend_pid(Session& session)
{
    return std::get<std::int64_t>(session.query("SELECT pg_backend_pid()").rows.at(0).at(0));
}

// Whether the session's server connection changes between transactions, as in
// a pooler's transaction pooling. Under session pooling each client keeps its
// own backend, so none of the three observations below can happen; under
// transaction pooling the second client's transaction gets the backend the
// first has just released (pgbouncer reuses the last released one first), or
// one of the two is moved to another backend.
bool server_connection_changes(Session& session, std::int64_t pid, const PostgresqlDialect& dialect)
{
    auto other = dialect.open(session.url(), ConnectOptions{});
    other->execute("BEGIN");
    const auto others = backend_pid(*other);
    // Short-circuited: with a pool of one backend, the first test is true and
    // the second (which would wait for that backend) never runs.
    bool changes = others == pid || backend_pid(session) != pid;
    other->execute("COMMIT");
    return changes || backend_pid(*other) != others;
}

// A pooler answers the connection with its own backend key: the pid libpq
// was given is not the pid of the backend that runs the statements.
void refuse_transaction_pooling(Session& session, const PostgresqlDialect& dialect)
{
    const auto pid = backend_pid(session);
    if (PQbackendPID(static_cast<PGconn*>(session.native_handle())) == pid)
        return;
    if (!server_connection_changes(session, pid, dialect)) {
        detail::logger().debug("connected through a pooler in session pooling mode");
        return;
    }
    throw ConfigError("the connection goes through a pooler in transaction pooling mode (pgbouncer's pool_mode = "
                      "transaction, for example): a migration needs one server session throughout (its lock, "
                      "lock_timeout and search_path are session state), so strata will not migrate through it; give "
                      "the bind a URL that reaches the server directly, or a pool in session mode");
}

}  // namespace

void PostgresqlDialect::prepare_migration_session(Session& session, std::chrono::seconds lock_timeout) const
{
    refuse_transaction_pooling(session, *this);
    // Every wait for a lock ends; and on 14+ the server notices a client that died
    // mid-statement and stops its statement, instead of holding locks on.
    std::string sql = lock_wait_bound(std::chrono::duration_cast<std::chrono::milliseconds>(lock_timeout), false);
    auto* conn = static_cast<PGconn*>(session.native_handle());
    if (PQserverVersion(conn) >= 140000)
        sql += "; SET client_connection_check_interval = '1s'";
    session.execute(sql);
}

std::unique_ptr<MigrationLock> PostgresqlDialect::advisory_lock(Session& session, std::chrono::seconds timeout) const
{
    // lock_timeout bounds the wait: prepare_migration_session set it.
    // The key names this bind's database and schema, so binds in different schemas
    // (tenants) migrate in parallel, and two programs migrating one bind do not.
    auto rows = session.query("SELECT current_database(), coalesce(current_schema(), '')");
    std::string schema = std::get<std::string>(rows.rows[0][1]);
    if (schema.empty())
        schema = session.url().param("schema", "public");
    const std::string name = "strata:" + std::get<std::string>(rows.rows[0][0]) + ":" + schema;
    const auto key = static_cast<std::int64_t>(detail::fnv1a64(name));
    // Tried, never waited for inside a statement: a statement waiting for the
    // lock holds a snapshot, and CREATE INDEX CONCURRENTLY in the holder's step
    // waits for every such snapshot to end -- a deadlock the server breaks by
    // killing one of them. Short tries with a growing pause have no snapshot to wait for.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto pause = std::chrono::milliseconds(5);
    while (!std::get<bool>(session.query("SELECT pg_try_advisory_lock(?)", {key}).rows.at(0).at(0))) {
        if (std::chrono::steady_clock::now() >= deadline)
            throw DatabaseError(DatabaseErrorKind::lock_timeout,
                                "another process is migrating " + name + " (advisory lock " + std::to_string(key) +
                                    "); gave up after " + std::to_string(timeout.count()) + " s",
                                ErrorContext{.sql = "SELECT pg_try_advisory_lock(" + std::to_string(key) + ")"});
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(200));
    }
    return std::make_unique<AdvisoryLock>(session, key);
}

bool PostgresqlDialect::table_exists(Session& session, std::string_view table) const
{
    return !session
                .query("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname = current_schema() AND c.relname = ? AND c.relkind IN ('r', 'p')",
                       {std::string(table)})
                .empty();
}

bool PostgresqlDialect::has_tables(Session& session) const
{
    auto n = session.scalar("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
                            "AND c.relname NOT IN ('strata_version', 'strata_lease', 'strata_progress')");
    return std::get<std::int64_t>(n) > 0;
}

IndexState PostgresqlDialect::index_state(Session& session, std::string_view index) const
{
    auto rows = session.query("SELECT i.indisvalid FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid "
                              "JOIN pg_namespace n ON n.oid = c.relnamespace "
                              "WHERE n.nspname = current_schema() AND c.relname = ?",
                              {std::string(index)});
    if (rows.empty())
        return IndexState::absent;
    return std::get<bool>(rows.rows[0][0]) ? IndexState::valid : IndexState::invalid;
}

std::optional<std::string> PostgresqlDialect::why_read_only(Session& session) const
{
    auto row = session.query("SELECT pg_is_in_recovery(), current_setting('transaction_read_only')").rows.at(0);
    if (std::get<bool>(row.at(0)))
        return std::string("the server is a read-only standby (pg_is_in_recovery() is true): run the upgrade against "
                           "the primary; status, history and verify work on the standby");
    if (std::get<std::string>(row.at(1)) == "on")
        return std::string("the session is read-only (default_transaction_read_only is on for this server, database "
                           "or role): connect as a role that may write, or to the primary");
    return std::nullopt;
}

std::string PostgresqlDialect::lock_wait_bound(std::chrono::milliseconds timeout, bool local) const
{
    return std::string(local ? "SET LOCAL" : "SET") + " lock_timeout = '" + std::to_string(timeout.count()) + "ms'";
}

std::string PostgresqlDialect::lock_holders(Session& session) const
{
    // Granted locks only: the sessions in the queue behind them wait as strata did.
    auto rows = session.query(
        "SELECT a.pid, coalesce(a.state, ''), "
        "coalesce(extract(epoch FROM clock_timestamp() - a.xact_start), 0)::float8, "
        "string_agg(DISTINCT l.mode || ' on ' || c.relname, ', '), coalesce(left(a.query, 200), '') "
        "FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.granted AND l.locktype = 'relation' AND l.pid <> pg_backend_pid() AND c.relkind IN ('r', 'p', 'm') "
        "AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) "
        "GROUP BY a.pid, a.state, a.xact_start, a.query ORDER BY a.xact_start NULLS LAST LIMIT 3");
    std::string out;
    for (const auto& row : rows.rows) {
        char age[32];
        std::snprintf(age, sizeof age, "%.1f", std::get<double>(row.at(2)));
        out += std::string(out.empty() ? "" : "; ") + "pid " + std::to_string(std::get<std::int64_t>(row.at(0))) + " (" +
               std::get<std::string>(row.at(1)) + ", transaction open " + age + " s, " +
               std::get<std::string>(row.at(3)) + "), last statement: " + detail::one_line(std::get<std::string>(row.at(4)));
    }
    return out;
}

std::vector<Statement> PostgresqlDialect::prepare_fresh(const Url& url) const
{
    if (auto schema = url.param("schema"); !schema.empty())
        return {Statement::plain("CREATE SCHEMA IF NOT EXISTS " + quote(schema))};
    return {};
}

std::string PostgresqlDialect::epoch_seconds_sql() const
{
    return "extract(epoch from clock_timestamp())::double precision";
}

bool PostgresqlDialect::renders_from_state(const Op& op) const
{
    const auto* drop = std::get_if<DropObject>(&op);
    return drop && drop->kind == ObjectKind::trigger && !drop->definition;
}

}  // namespace strata::postgresql
