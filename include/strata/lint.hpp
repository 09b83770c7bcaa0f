// The online-safety linter: what in a step takes a heavy lock on a busy table,
// rewrites it, or breaks the release that is still running, with the safe way
// to write it. Rules read C++ ops and SQL statements alike.
#pragma once

#include "strata/step.hpp"

#include <chrono>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

class Dialect;

struct LintRule {
    std::string_view id;       // "index-not-concurrent"
    std::string_view summary;  // one line
    // Whether it applies on SQLite: rules about PostgreSQL's lock queue do not
    // (one writer, no queue); those about the running release (expand/contract) do.
    bool on_sqlite = false;
};

// Every rule, in the order docs/lint.md lists them.
[[nodiscard]] std::span<const LintRule> lint_rules() noexcept;
[[nodiscard]] const LintRule* find_lint_rule(std::string_view id) noexcept;

struct LintFinding {
    std::string rule;
    std::string bind;
    long long version = 0;
    std::string step;        // the step's description
    std::string file;        // the SQL file, or "" for a step declared in C++
    std::size_t line = 0;    // in that file
    std::string statement;   // the statement, or the op ("create_index items.items_name")
    std::string why;         // what it does to the application
    std::string fix;         // the safe way to write it
    std::string allowed;     // the step allows the rule: its reason ("" when the finding stands)
};

struct LintOptions {
    // The lock wait a step gets when it names none (RunOptions::step_lock_timeout).
    std::chrono::milliseconds step_lock_timeout{1000};
};

// Lints steps of one bind in order (a table created by an earlier step of the
// list is an existing table: in production it may hold millions of rows). Only
// the rules that apply on `dialect` are checked. Throws ConfigError when a
// step allows a rule that does not exist.
[[nodiscard]] std::vector<LintFinding> lint_steps(std::span<const Step> steps, const Dialect& dialect,
                                                  const std::string& bind, const LintOptions& options = {});

// "app step 3 \"items index\" (migrations/app/0003_items_index.sql:2): index-not-concurrent", then the
// statement, why and fix on indented lines.
[[nodiscard]] std::string format_finding(const LintFinding& finding);

}  // namespace strata
