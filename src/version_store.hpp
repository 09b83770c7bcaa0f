// The version store: strata_version, one append-only row per applied, fresh,
// skipped, stamped or reverted step; the current version follows from the rows.
#pragma once

#include "strata/dialect.hpp"
#include "strata/session.hpp"
#include "strata/upgrader.hpp"

#include <optional>
#include <string>
#include <vector>

namespace strata::detail {

inline constexpr const char* version_table_name = "strata_version";

// The table's model, rendered by each dialect like any other table.
[[nodiscard]] Table version_table();

struct VersionRow {
    long long version = 0;
    std::string description;
    StepKind kind = StepKind::applied;
    std::string checksum;
    std::optional<double> duration_ms;
};

// The version a bind is at, from its newest row: applied/fresh/stamped N -> N,
// reverted N -> N - 1. One query; nullopt when the bind has no strata_version.
[[nodiscard]] std::optional<long long> read_current_version(Session& session);
// The same, inside a transaction (PostgreSQL aborts a transaction on a failed
// query, so the table's existence is checked first).
[[nodiscard]] std::optional<long long> read_current_version_checked(Session& session);
// The version of a bind whose strata_version is known to exist: one SELECT (no
// catalog probe, which on SQLite scans sqlite_schema and grows with the schema).
[[nodiscard]] long long read_recorded_version(Session& session);

[[nodiscard]] std::vector<HistoryEntry> read_history(Session& session);
// The kind a row holds; throws DatabaseError for a word strata never writes.
[[nodiscard]] StepKind step_kind_from(std::string_view text);

// CREATE TABLE strata_version and its index, for this dialect.
[[nodiscard]] std::vector<Statement> create_version_table(const Dialect& dialect);
// An INSERT with the row's values as literals: what `sql` prints and upgrade runs.
[[nodiscard]] Statement insert_version_row(const Dialect& dialect, const VersionRow& row);
// The same row written with parameters, with runtime values (who, when, release).
void write_version_row(Session& session, const VersionRow& row);

// "host/pid", recorded as applied_by.
[[nodiscard]] std::string applied_by();
[[nodiscard]] const char* strata_release() noexcept;

}  // namespace strata::detail
