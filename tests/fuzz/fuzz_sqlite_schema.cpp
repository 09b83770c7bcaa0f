// Fuzz target: SQLite introspection. The input runs as SQL on an in-memory
// database (so strata's parser sees exactly what SQLite accepted and stored),
// then strata reads the schema back and renders it as SQL, JSON and Mermaid.
#include "strata/database.hpp"
#include "strata/errors.hpp"
#include "strata/inspect.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>

namespace {

// Nothing that could touch files: no ATTACH (nor VACUUM INTO, which attaches).
int deny_files(void*, int action, const char*, const char*, const char*, const char*)
{
    return action == SQLITE_ATTACH || action == SQLITE_DETACH ? SQLITE_DENY : SQLITE_OK;
}

// Bounded work per input: a recursive query could otherwise run for ever.
int stop_long_queries(void* budget)
{
    return --*static_cast<int*>(budget) < 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string sql(reinterpret_cast<const char*>(data), size);
    std::string lower = sql;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower.find("vacuum") != std::string::npos || lower.find("load_extension") != std::string::npos)
        return 0;
    auto db = strata::connect("sqlite::memory:");
    auto* handle = static_cast<sqlite3*>(db.session().native_handle());
    sqlite3_set_authorizer(handle, deny_files, nullptr);
    sqlite3_limit(handle, SQLITE_LIMIT_LENGTH, 1 << 20);
    int budget = 1000;
    sqlite3_progress_handler(handle, 1000, stop_long_queries, &budget);
    sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, nullptr);
    sqlite3_progress_handler(handle, 0, nullptr, nullptr);
    sqlite3_set_authorizer(handle, nullptr, nullptr);
    try {
        auto schema = db.inspect();
        (void)strata::to_sql(schema, db.dialect());
        (void)strata::to_json(schema);
        (void)strata::to_mermaid(schema);
    } catch (const strata::Error&) {
        // A schema strata cannot express is reported, not crashed on.
    }
    return 0;
}
