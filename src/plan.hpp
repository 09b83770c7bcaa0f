// The planner: a step's ops become the statements and data code that run (or
// print, for `sql` and --dry-run), in order, for one dialect.
#pragma once

#include "strata/dialect.hpp"
#include "strata/upgrader.hpp"

#include <functional>
#include <vector>

namespace strata::detail {

struct PlanItem {
    Statement statement;                   // when code is empty
    std::function<void(Session&)> code;    // data code
    std::string code_revision;
};

struct StepPlan {
    const Step* step = nullptr;
    bool down = false;
    std::vector<PlanItem> items;
    // Raw SQL that may change the schema: the live schema may then differ from the
    // tracked one. (Data code is judged by the statements it runs.)
    bool opaque = false;
};

// The ops a step runs: its own, or on the way down its explicit down ops or the
// reverse of each op in reverse order. Throws Error(irreversible) naming the op.
[[nodiscard]] std::vector<Op> step_ops(const Step& step, bool down, const std::string& bind);

// Renders the step against `state` (the schema before it) and advances `state`.
[[nodiscard]] StepPlan plan_step(const Step& step, bool down, const Dialect& dialect, Schema& state,
                                 const std::string& bind);

}  // namespace strata::detail
