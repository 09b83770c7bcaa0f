// The version store: strata_version, append-only history of every bind.
#include "version_store.hpp"

#include "sql_dialect.hpp"
#include "strata/errors.hpp"
#include "text.hpp"

#include <unistd.h>

namespace strata::detail {

Table version_table()
{
    Schema s;
    s.table(version_table_name)
        .column<std::int64_t>("id").primary_key().autoincrement()
        .column<std::int64_t>("version")
        .column<std::string>("description")
        .column<std::string>("kind").varchar(16).enum_values({"applied", "fresh", "skipped", "stamped", "reverted"})
        .column<std::optional<std::string>>("checksum").varchar(64)
        .column<Timestamp>("applied_at").default_now()
        .column<std::optional<double>>("duration_ms")
        .column<std::optional<std::string>>("applied_by")
        .column<std::optional<std::string>>("strata_release").varchar(32);
    return s.tables.front();
}

namespace {

const char* const current_sql = "SELECT \"version\", \"kind\" FROM \"strata_version\" ORDER BY \"id\" DESC LIMIT 1";

std::optional<long long> current_from(const Rows& rows)
{
    if (rows.empty())
        return 0;  // the table exists but holds nothing: an interrupted stamp; version 0
    auto version = std::get<std::int64_t>(rows.rows[0][0]);
    const auto& kind = std::get<std::string>(rows.rows[0][1]);
    return step_kind_from(kind) == StepKind::reverted ? version - 1 : version;
}

}  // namespace

std::optional<long long> read_current_version(Session& session)
{
    try {
        return current_from(session.query(current_sql));
    } catch (const DatabaseError& e) {
        if (e.kind() != DatabaseErrorKind::schema || session.in_transaction())
            throw;
        // No strata_version (SQLite: no such table; PostgreSQL: 42P01) -- unless
        // another process has just created it, in which case it can be read now.
        if (!session.dialect().table_exists(session, version_table_name))
            return std::nullopt;
        return current_from(session.query(current_sql));
    }
}

std::optional<long long> read_current_version_checked(Session& session)
{
    if (!session.dialect().table_exists(session, version_table_name))
        return std::nullopt;
    return current_from(session.query(current_sql));
}

long long read_recorded_version(Session& session)
{
    return current_from(session.query(current_sql)).value_or(0);
}

std::vector<HistoryEntry> read_history(Session& session)
{
    if (!session.dialect().table_exists(session, version_table_name))
        return {};
    auto rows = session.query("SELECT \"id\", \"version\", \"description\", \"kind\", \"checksum\", "
                              "CAST(\"applied_at\" AS TEXT), \"duration_ms\", \"applied_by\", \"strata_release\" "
                              "FROM \"strata_version\" ORDER BY \"id\"");
    std::vector<HistoryEntry> out;
    out.reserve(rows.size());
    auto text = [](const Value& v) { return is_null(v) ? std::string() : value_traits<std::string>::from(v); };
    for (const auto& r : rows.rows) {
        HistoryEntry e;
        e.id = value_traits<long long>::from(r[0]);
        e.version = value_traits<long long>::from(r[1]);
        e.description = text(r[2]);
        e.kind = step_kind_from(text(r[3]));
        e.checksum = text(r[4]);
        e.applied_at = text(r[5]);
        e.duration_ms = is_null(r[6]) ? 0.0 : value_traits<double>::from(r[6]);
        e.applied_by = text(r[7]);
        e.strata_release = text(r[8]);
        out.push_back(std::move(e));
    }
    return out;
}

StepKind step_kind_from(std::string_view text)
{
    for (auto kind : {StepKind::applied, StepKind::skipped, StepKind::reverted, StepKind::fresh, StepKind::stamped})
        if (to_string(kind) == text)
            return kind;
    throw DatabaseError(DatabaseErrorKind::other, "strata_version holds a row of kind '" + std::string(text) +
                                                      "', which strata never writes: the table was edited by hand");
}

std::vector<Statement> create_version_table(const Dialect& dialect)
{
    Schema empty;
    return dialect.render(CreateTable{version_table()}, empty);
}

Statement insert_version_row(const Dialect& dialect, const VersionRow& row)
{
    auto literal = [&](const Value& v) { return dialect.render_literal(v); };
    return Statement::plain(
        "INSERT INTO " + dialect.quote(version_table_name) +
        " (\"version\", \"description\", \"kind\", \"checksum\", \"duration_ms\", \"applied_by\", \"strata_release\") VALUES (" +
        literal(std::int64_t{row.version}) + ", " + literal(row.description) + ", " + literal(std::string(to_string(row.kind))) + ", " +
        (row.checksum.empty() ? "NULL" : literal(row.checksum)) + ", " +
        (row.duration_ms ? literal(*row.duration_ms) : "NULL") + ", " + literal(std::string("offline")) + ", " +
        literal(std::string(strata_release())) + ")");
}

void write_version_row(Session& session, const VersionRow& row)
{
    session.execute("INSERT INTO \"strata_version\" (\"version\", \"description\", \"kind\", \"checksum\", "
                    "\"duration_ms\", \"applied_by\", \"strata_release\") VALUES (?, ?, ?, ?, ?, ?, ?)",
                    {std::int64_t{row.version}, row.description, std::string(to_string(row.kind)),
                     row.checksum.empty() ? Value{} : Value{row.checksum},
                     row.duration_ms ? Value{*row.duration_ms} : Value{}, applied_by(), std::string(strata_release())});
}

std::string applied_by()
{
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0)
        host[0] = '\0';
    return std::string(host) + "/" + std::to_string(getpid());
}

const char* strata_release() noexcept
{
    return STRATA_VERSION_STRING;
}

}  // namespace strata::detail
