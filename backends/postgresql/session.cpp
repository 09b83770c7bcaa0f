// The PostgreSQL Session: SOCI owns the connection (so strata/soci.hpp can hand
// it out); statements run through libpq on the same PGconn.
#include "errors.hpp"
#include "log.hpp"
#include "postgresql_dialect.hpp"
#include "result.hpp"
#include "sql_tokenizer.hpp"
#include "strata/errors.hpp"
#include "strata/session.hpp"
#include "strata/url.hpp"
#include "text.hpp"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace strata::postgresql {

namespace {

std::string conninfo_value(const std::string& v)
{
    std::string out = "'";
    for (char c : v) {
        if (c == '\'' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "'";
}

// URL parameters strata reads itself; every other one goes to libpq (sslmode, ...).
bool is_strata_parameter(const std::string& key)
{
    return key == "schema" || key == "host" || key == "port" || key == "connect_timeout" || key == "application_name" ||
           key == "options";
}

std::string conninfo(const Url& u)
{
    std::string out;
    auto add = [&out](const char* key, const std::string& value) {
        if (value.empty())
            return;
        out += std::string(out.empty() ? "" : " ") + key + "=" + conninfo_value(value);
    };
    add("host", u.param("host", u.host));
    add("port", u.param("port", u.port ? std::to_string(u.port) : ""));
    add("dbname", u.database);
    add("user", u.user);
    add("password", u.password);
    // Never wait forever for a server that does not answer.
    add("connect_timeout", u.param("connect_timeout", "10"));
    add("application_name", u.param("application_name", "strata"));
    // Only what the user gives: poolers (pgbouncer) refuse a connection whose
    // startup packet carries `options`; strata's settings follow the connection.
    add("options", u.param("options"));
    for (const auto& [key, value] : u.params)
        if (!is_strata_parameter(key))
            add(key.c_str(), value);
    return out;
}

void log_notice(void*, const char* message)
{
    std::string text = message;
    while (!text.empty() && text.back() == '\n')
        text.pop_back();
    detail::logger().debug("postgresql: {}", text);
}

// Portable `?` placeholders become $1, $2, ... (quotes and comments are left alone).
std::string numbered_placeholders(std::string_view sql)
{
    std::string out;
    std::size_t last = 0;
    int n = 0;
    for (const auto& t : detail::tokenize(sql, {.dollar_quotes = true, .brackets = false, .backticks = false})) {
        if (t.kind == detail::TokenKind::parameter && t.text == "?") {
            out.append(sql.substr(last, t.offset - last));
            out += "$" + std::to_string(++n);
            last = t.offset + 1;
        }
    }
    if (n == 0)
        return std::string(sql);
    out.append(sql.substr(last));
    return out;
}

Blob from_bytea(std::string_view text)
{
    Blob out;
    if (text.starts_with("\\x")) {
        text.remove_prefix(2);
        out.reserve(text.size() / 2);
        for (std::size_t i = 0; i + 1 < text.size(); i += 2) {
            unsigned v = 0;
            std::from_chars(text.data() + i, text.data() + i + 2, v, 16);
            out.push_back(static_cast<std::byte>(v));
        }
    }
    return out;
}

Value cell(const PGresult* r, int row, int column)
{
    if (PQgetisnull(r, row, column))
        return {};
    std::string_view text(PQgetvalue(r, row, column), static_cast<std::size_t>(PQgetlength(r, row, column)));
    switch (PQftype(r, column)) {
    case 16: return text == "t";
    case 20: case 21: case 23: case 26: {
        std::int64_t v = 0;
        std::from_chars(text.data(), text.data() + text.size(), v);
        return v;
    }
    case 700: case 701: {
        if (text == "NaN") return std::nan("");
        if (text == "Infinity") return HUGE_VAL;
        if (text == "-Infinity") return -HUGE_VAL;
        double v = 0;
        std::from_chars(text.data(), text.data() + text.size(), v);
        return v;
    }
    case 17: return from_bytea(text);
    default: return std::string(text);
    }
}

// One statement after connecting, not startup parameters (see conninfo): UTC
// makes timestamptz text the same whatever the server's zone, and ?schema= puts
// the bind in its schema.
std::string session_settings(const Url& url)
{
    std::string sql = "SET TimeZone = 'UTC'";
    if (auto schema = url.param("schema"); !schema.empty())
        sql += "; SET search_path TO " + instance().quote(schema);
    return sql;
}

class PostgresqlSession final : public Session {
public:
    PostgresqlSession(const Url& url, const ConnectOptions&) : url_(url)
    {
        try {
            soci_ = std::make_unique<soci::session>(*soci::factory_postgresql(), conninfo(url));
        } catch (const soci::soci_error& e) {
            std::string why = e.get_error_message();
            while (!why.empty() && (why.back() == '\n' || why.back() == ' '))
                why.pop_back();
            throw DatabaseError(DatabaseErrorKind::connection,
                                "cannot connect to " + url.masked() + ": " + why);
        }
        conn_ = static_cast<soci::postgresql_session_backend*>(soci_->get_backend())->conn_;
        PQsetNoticeProcessor(conn_, log_notice, nullptr);
        execute(session_settings(url));
    }

    ~PostgresqlSession() override
    {
        if (conn_ && PQtransactionStatus(conn_) != PQTRANS_IDLE && PQstatus(conn_) == CONNECTION_OK)
            PQclear(PQexec(conn_, "ROLLBACK"));
    }

    const Dialect& dialect() const noexcept override { return instance(); }
    const Url& url() const noexcept override { return url_; }

    bool reuse_for(const Url& url) override
    {
        auto params = url.params, ours = url_.params;
        params.erase("schema");
        ours.erase("schema");
        const bool same_database = url.scheme == url_.scheme && url.host == url_.host && url.port == url_.port &&
                                   url.user == url_.user && url.password == url_.password &&
                                   url.database == url_.database && params == ours;
        if (!same_database || in_transaction() || PQstatus(conn_) != CONNECTION_OK)
            return false;
        // As a new connection: the defaults of every setting, no advisory lock held, then its own settings.
        execute("RESET ALL");
        (void)query("SELECT pg_advisory_unlock_all()", {});
        execute(session_settings(url));
        url_ = url;
        return true;
    }

    void execute(std::string_view sql) override
    {
        count_statement(sql);
        std::string text(sql);
        Result r(PQexec(conn_, text.c_str()));
        check(r.r, sql);
    }

    std::int64_t execute(std::string_view sql, const std::vector<Value>& params) override
    {
        Result r(run(sql, params));
        check(r.r, sql);
        const char* affected = PQcmdTuples(r.r);
        return affected && *affected ? std::stoll(affected) : 0;
    }

    Rows query(std::string_view sql, const std::vector<Value>& params) override
    {
        Result r(run(sql, params));
        check(r.r, sql);
        Rows out;
        const int columns = PQnfields(r.r);
        const int rows = PQntuples(r.r);
        for (int c = 0; c < columns; ++c)
            out.columns.emplace_back(PQfname(r.r, c));
        out.rows.reserve(static_cast<std::size_t>(rows));
        for (int i = 0; i < rows; ++i) {
            std::vector<Value> row;
            row.reserve(static_cast<std::size_t>(columns));
            for (int c = 0; c < columns; ++c)
                row.push_back(cell(r.r, i, c));
            out.rows.push_back(std::move(row));
        }
        return out;
    }

    void begin(TransactionMode) override { execute("BEGIN"); }

    void commit() override
    {
        count_statement("COMMIT");
        Result r(PQexec(conn_, "COMMIT"));
        if (PQresultStatus(r.r) != PGRES_COMMAND_OK)
            throw_error(conn_, r.r, "COMMIT", true);
        // COMMIT of a failed transaction "succeeds" as ROLLBACK: that is a failure here.
        if (std::string_view(PQcmdStatus(r.r)) == "ROLLBACK")
            throw DatabaseError(DatabaseErrorKind::other,
                                "PostgreSQL rolled the transaction back at COMMIT because a statement in it had failed",
                                ErrorContext{.sql = "COMMIT"});
    }

    void rollback() override
    {
        if (PQtransactionStatus(conn_) != PQTRANS_IDLE)
            execute("ROLLBACK");
    }

    bool in_transaction() const noexcept override { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

    void* native_handle() noexcept override { return conn_; }
    void* soci_session() noexcept override { return soci_.get(); }

private:
    PGresult* run(std::string_view sql, const std::vector<Value>& params)
    {
        count_statement(sql);
        std::string text = numbered_placeholders(sql);
        std::vector<std::string> storage(params.size());
        std::vector<const char*> values(params.size(), nullptr);
        std::vector<int> lengths(params.size(), 0);
        std::vector<int> formats(params.size(), 0);
        for (std::size_t i = 0; i < params.size(); ++i) {
            const auto& v = params[i];
            if (is_null(v))
                continue;
            if (auto b = std::get_if<bool>(&v))
                storage[i] = *b ? "true" : "false";
            else if (auto n = std::get_if<std::int64_t>(&v))
                storage[i] = std::to_string(*n);
            else if (auto d = std::get_if<double>(&v))
                storage[i] = std::isnan(*d) ? "NaN" : std::isinf(*d) ? (*d > 0 ? "Infinity" : "-Infinity") : detail::format_double(*d);
            else if (auto s = std::get_if<std::string>(&v))
                storage[i] = *s;
            else if (auto blob = std::get_if<Blob>(&v)) {
                storage[i].assign(reinterpret_cast<const char*>(blob->data()), blob->size());
                formats[i] = 1;  // binary: bytes as they are
            }
            values[i] = storage[i].data();
            lengths[i] = static_cast<int>(storage[i].size());
        }
        return PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                            lengths.data(), formats.data(), 0);
    }

    void check(const PGresult* r, std::string_view sql)
    {
        auto status = PQresultStatus(r);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)
            throw_error(conn_, r, sql);
    }

    Url url_;
    std::unique_ptr<soci::session> soci_;
    PGconn* conn_ = nullptr;
};

}  // namespace

std::unique_ptr<Session> PostgresqlDialect::open(const Url& url, const ConnectOptions& options) const
{
    return std::make_unique<PostgresqlSession>(url, options);
}

}  // namespace strata::postgresql
