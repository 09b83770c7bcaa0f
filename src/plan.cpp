// The planner: one path from ops to statements for running, printing and checking.
#include "plan.hpp"

#include "sql_tokenizer.hpp"
#include "strata/errors.hpp"

namespace strata::detail {

std::vector<Op> step_ops(const Step& step, bool down, const std::string& bind)
{
    if (!down)
        return step.ops;
    if (step.down)
        return *step.down;
    std::vector<Op> out;
    out.reserve(step.ops.size());
    for (auto it = step.ops.rbegin(); it != step.ops.rend(); ++it) {
        auto r = reverse(*it);
        if (!r.op) {
            ErrorContext c;
            c.bind = bind;
            c.version = step.version;
            c.description = step.description;
            throw Error(ErrorCode::irreversible,
                        "step " + std::to_string(step.version) + " of bind '" + bind + "' cannot be reverted: " +
                            r.why_not + "; give the step explicit down ops (.down(...)) or record what it drops",
                        std::move(c));
        }
        out.push_back(std::move(*r.op));
    }
    return out;
}

StepPlan plan_step(const Step& step, bool down, const Dialect& dialect, Schema& state, const std::string& bind)
{
    StepPlan plan;
    plan.step = &step;
    plan.down = down;
    const auto ops = step_ops(step, down, bind);
    // Runs of schema ops render together (SQLite may merge rebuilds); data code
    // runs in its place between them.
    std::size_t begin = 0;
    auto flush = [&](std::size_t end) {
        if (end == begin)
            return;
        auto statements = dialect.render_step(std::span<const Op>(ops.data() + begin, end - begin), state);
        for (auto& s : statements)
            plan.items.push_back(PlanItem{std::move(s), {}, {}});
    };
    for (std::size_t i = 0; i < ops.size(); ++i) {
        if (const auto* code = std::get_if<RunCode>(&ops[i])) {
            flush(i);
            begin = i + 1;
            if (!code->up) {
                ErrorContext c;
                c.bind = bind;
                c.version = step.version;
                throw Error(ErrorCode::irreversible, "step " + std::to_string(step.version) + " of bind '" + bind +
                                                         "': data code '" + code->revision + "' has no function to run",
                            std::move(c));
            }
            plan.items.push_back(PlanItem{Statement::plain("-- data code: " + code->revision), code->up, code->revision});
        } else if (const auto* sql = std::get_if<ExecuteSql>(&ops[i])) {
            // Data changes leave the tracked schema right; anything else may not.
            if (const auto* text = sql->sql_for(dialect.name()))
                for (const auto& statement : split_statements(*text).statements)
                    plan.opaque = plan.opaque || may_change_schema(statement.sql);
        }
    }
    flush(ops.size());
    return plan;
}

}  // namespace strata::detail
