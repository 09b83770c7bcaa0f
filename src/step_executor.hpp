// The step executor: runs a step's ops inside the caller's transaction. Each run
// of schema ops is rendered just before it executes, so data code and raw SQL
// before it are seen; an op that renders from its table's definition (a SQLite
// rebuild) reads that definition from the database first, inside the
// transaction, and afterwards proves that nothing of the table was lost.
#pragma once

#include "plan.hpp"

#include "strata/errors.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace strata::detail {

// The schema strata believes the bind has. It follows strata's own ops; raw SQL
// and data code make it inexact (strata cannot see into them). Rendering never
// relies on it where it matters: see StepExecutor.
struct TrackedSchema {
    Schema schema;
    bool exact = false;
};

class StepExecutor {
public:
    // `on_work`: the progress of a long copy of rows (a SQLite rebuild); may be empty.
    StepExecutor(Session& session, const Dialect& dialect, std::string bind, TrackedSchema& state,
                 std::function<void(const WorkProgress&)> on_work = {})
        : s_(session), d_(dialect), bind_(std::move(bind)), state_(state), on_work_(std::move(on_work)) {}

    // Runs the step's ops (down: its down ops) in the open transaction. Throws
    // DatabaseError naming the bind, the step and the failing SQL; the caller
    // rolls the transaction back.
    void run(const Step& step, bool down);
    // Some of those ops (a phase of the step).
    void run_ops(const Step& step, std::span<const Op> ops, bool down);
    // The frame's guards (SQLite: no foreign key points at nothing), for the step.
    void check(const Step& step, const TransactionFrame& frame, bool down);
    // One statement of the step; a guard fails the step when it returns a row.
    void execute(const Step& step, const Statement& statement, bool down);
    [[noreturn]] void fail(const Step& step, const DatabaseError& e, const std::string& sql, bool down) const;
    // Several steps share the transaction (--atomic): a failure leaves the bind at `version`.
    void stays_at(long long version) noexcept { stays_at_ = version; }

private:
    void run_code(const Step& step, const DataCode& code, bool down);
    void run_schema_ops(const Step& step, std::span<const Op> ops, bool down);
    std::vector<Statement> render(std::span<const Op> ops);
    void read_live(const std::vector<std::string>& tables);
    void check_survival(const Step& step, const std::vector<std::string>& tables, bool down);
    // A copy of a big table's rows in ranges of rowid, reporting rows done.
    void copy_in_ranges(const Step& step, const Statement& copy, bool down);

    Session& s_;
    const Dialect& d_;
    std::string bind_;
    TrackedSchema& state_;
    std::optional<long long> stays_at_;
    std::function<void(const WorkProgress&)> on_work_;
};

// The part of `schema` a table rebuild must keep: the tables, their triggers and every view.
[[nodiscard]] Schema tables_and_dependents(const Schema& schema, const std::vector<std::string>& tables);

}  // namespace strata::detail
