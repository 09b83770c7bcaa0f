// The planner: a step's ops become the statements and data code that run (or
// print, for `sql` and --dry-run), in order, for one dialect.
#pragma once

#include "strata/dialect.hpp"
#include "strata/upgrader.hpp"

#include <functional>
#include <optional>
#include <string>
#include <span>
#include <vector>

namespace strata::detail {

struct PlanItem {
    Statement statement;                   // when code is empty
    std::function<void(Session&)> code;    // data code
    std::string code_revision;
};

// Where a phase of the step starts among the plan's items.
struct PlanPhase {
    std::size_t first = 0;
    bool outside_transaction = false;
};

struct StepPlan {
    const Step* step = nullptr;
    bool down = false;
    TransactionFrame frame;  // around the step's transaction
    std::vector<PlanItem> items;
    std::vector<PlanPhase> phases;  // one, unless the step has NextPhase ops
};

// The ops a step runs: its own, or on the way down its explicit down ops or the
// reverse of each op in reverse order. Throws Error(irreversible) naming the op.
[[nodiscard]] std::vector<Op> step_ops(const Step& step, bool down, const std::string& bind);

// A step's ops as they run: runs of schema ops, rendered together (SQLite may
// merge several changes of one table into one rebuild), and between them each
// raw SQL op and each piece of data code on its own, since strata cannot see
// what they change before they have run.
struct Segment {
    std::span<const Op> ops;       // schema ops (raw SQL included), when code is null
    const DataCode* code = nullptr;  // data code
};
[[nodiscard]] std::vector<Segment> segments(std::span<const Op> ops);

// A step's ops split at each NextPhase (which no phase holds); one phase when there is none.
[[nodiscard]] std::vector<std::span<const Op>> phases(std::span<const Op> ops);

// A SQL-file step's raw `CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] name
// ON ...` or `DROP INDEX CONCURRENTLY [IF EXISTS] name`: the index it names, so
// an interrupted run resumes as it does for the ops.
struct RawConcurrentIndex {
    bool create = false;
    std::string name;
};
[[nodiscard]] std::optional<RawConcurrentIndex> raw_concurrent_index(const Op& op, const Dialect& dialect);

// A phase (of a step with several) that runs outside a transaction on this
// engine: one CONCURRENTLY index, as an op or a statement.
[[nodiscard]] bool phase_outside_transaction(std::span<const Op> phase, const Dialect& dialect);

// The data code's function for the direction; throws Error(irreversible) naming the step when there is none.
[[nodiscard]] const std::function<void(Session&)>& code_to_run(const DataCode& code, const Step& step,
                                                                const std::string& bind);

// Renders the step against `state` (the schema before it) and advances `state`:
// the offline path (`sql`, dry runs). The upgrader renders the same segments one
// by one inside the transaction, against the schema really there (step_executor).
[[nodiscard]] StepPlan plan_step(const Step& step, bool down, const Dialect& dialect, Schema& state,
                                 const std::string& bind);

}  // namespace strata::detail
