// The planner: one path from ops to statements for running, printing and checking.
#include "plan.hpp"

#include "strata/errors.hpp"

namespace strata::detail {

std::vector<Op> step_ops(const Step& step, bool down, const std::string& bind)
{
    if (!down)
        return step.ops;
    if (step.down)
        return *step.down;
    auto reversed = reverse_all(step.ops);
    if (!reversed.irreversible.empty()) {
        ErrorContext c;
        c.bind = bind;
        c.version = step.version;
        c.description = step.description;
        throw Error(ErrorCode::irreversible,
                    "step " + std::to_string(step.version) + " of bind '" + bind + "' cannot be reverted: " +
                        reversed.irreversible.front() + "; give the step explicit down ops (.down(...)) or record what it drops",
                    std::move(c));
    }
    return std::move(reversed.ops);
}

std::vector<Segment> segments(std::span<const Op> ops)
{
    // Data code and raw SQL stand alone: what follows them renders after they ran.
    std::vector<Segment> out;
    std::size_t begin = 0;
    for (std::size_t i = 0; i <= ops.size(); ++i) {
        const bool end = i == ops.size();
        const auto* code = end ? nullptr : std::get_if<DataCode>(&ops[i]);
        const bool raw = !end && std::holds_alternative<ExecuteSql>(ops[i]);
        if (!end && !code && !raw)
            continue;
        if (i > begin)
            out.push_back(Segment{ops.subspan(begin, i - begin), nullptr});
        if (code)
            out.push_back(Segment{{}, code});
        else if (raw)
            out.push_back(Segment{ops.subspan(i, 1), nullptr});
        begin = i + 1;
    }
    return out;
}

const std::function<void(Session&)>& code_to_run(const DataCode& code, const Step& step, const std::string& bind)
{
    if (!code.up) {
        ErrorContext c;
        c.bind = bind;
        c.version = step.version;
        c.description = step.description;
        throw Error(ErrorCode::irreversible, "step " + std::to_string(step.version) + " of bind '" + bind +
                                                 "': data code '" + code.revision + "' has no function to run",
                    std::move(c));
    }
    return code.up;
}

StepPlan plan_step(const Step& step, bool down, const Dialect& dialect, Schema& state, const std::string& bind)
{
    StepPlan plan;
    plan.step = &step;
    plan.down = down;
    const auto ops = step_ops(step, down, bind);
    plan.frame = dialect.frame(ops);
    for (const auto& segment : segments(ops)) {
        if (segment.code) {
            plan.items.push_back(PlanItem{Statement::plain("-- data code: " + segment.code->revision),
                                          code_to_run(*segment.code, step, bind), segment.code->revision});
            continue;
        }
        for (auto& s : dialect.render_step(segment.ops, state))
            plan.items.push_back(PlanItem{std::move(s), {}, {}});
    }
    return plan;
}

}  // namespace strata::detail
