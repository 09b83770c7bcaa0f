// Scratch databases on PostgreSQL: CREATE DATABASE on the server of the URL,
// dropped after its sessions are ended (PostgreSQL 12 has no DROP ... WITH (FORCE)).
#include "log.hpp"
#include "postgresql_dialect.hpp"
#include "strata/session.hpp"
#include "strata/url.hpp"

namespace strata::postgresql {

namespace {

void drop_database(Session& admin, const PostgresqlDialect& d, const std::string& name)
{
    admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " +
                  d.render_literal(Value{name}) + " AND pid <> pg_backend_pid()");
    // DROP DATABASE waits up to 5 s for the terminated sessions to go.
    admin.execute("DROP DATABASE IF EXISTS " + d.quote(name));
}

}  // namespace

Url PostgresqlDialect::create_scratch(const Url& like, const std::string& name) const
{
    auto admin = open(like, {});
    drop_database(*admin, *this, name);  // left by a killed process that had this pid
    admin->execute("CREATE DATABASE " + quote(name));
    Url url = like;
    url.database = name;
    return url;
}

void PostgresqlDialect::drop_scratch(const Url& like, const Url& scratch) const noexcept
{
    try {
        auto admin = open(like, {});
        drop_database(*admin, *this, scratch.database);
    } catch (const std::exception& e) {
        detail::logger().warn("could not drop the scratch database {}: {}", scratch.database, e.what());
    }
}

}  // namespace strata::postgresql
