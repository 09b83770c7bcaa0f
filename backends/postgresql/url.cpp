// PostgreSQL URLs: postgresql://user:password@host:port/dbname?schema=s&connect_timeout=5
// (postgres:// too; host=/socket/dir as a parameter, as libpq takes it).
#include "postgresql_dialect.hpp"
#include "url_parts.hpp"

namespace strata::postgresql {

namespace {
constexpr std::string_view forms = "postgresql://user:password@host:port/dbname?schema=name";
}

std::span<const std::string_view> PostgresqlDialect::url_schemes() const noexcept
{
    static constexpr std::string_view schemes[] = {"postgresql", "postgres"};
    return schemes;
}

std::string_view PostgresqlDialect::url_forms() const noexcept
{
    return forms;
}

void PostgresqlDialect::complete_url(Url& url, std::string_view rest, const std::string& text) const
{
    if (!rest.starts_with("//"))
        detail::bad_url(text, "a PostgreSQL URL starts with postgresql://", forms);
    detail::parse_server_authority(rest.substr(2), url, text, forms);
    detail::expect_whole_number(url, "connect_timeout", text, forms);
}

// libpq's own variables, so that pg_dump and psql with no arguments reach the
// bind (the password never appears on a command line).
std::vector<std::pair<std::string, std::string>> PostgresqlDialect::client_environment(const Url& url) const
{
    std::vector<std::pair<std::string, std::string>> env;
    auto add = [&](const char* name, const std::string& value) {
        if (!value.empty())
            env.emplace_back(name, value);
    };
    add("PGHOST", url.host.empty() ? url.param("host") : url.host);
    add("PGPORT", url.port ? std::to_string(url.port) : url.param("port"));
    add("PGUSER", url.user);
    add("PGPASSWORD", url.password.empty() ? url.param("password") : url.password);
    add("PGDATABASE", url.database);
    return env;
}

}  // namespace strata::postgresql
