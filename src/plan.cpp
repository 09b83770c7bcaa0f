// The planner: one path from ops to statements for running, printing and checking.
#include "plan.hpp"

#include "sql_tokenizer.hpp"
#include "strata/errors.hpp"
#include "text.hpp"

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

std::optional<RawConcurrentIndex> raw_concurrent_index(const Op& op, const Dialect& dialect)
{
    const auto* raw = std::get_if<ExecuteSql>(&op);
    const std::string* text = raw ? raw->sql.for_dialect(dialect.name()) : nullptr;
    if (!text)
        return std::nullopt;
    const auto tokens = tokenize(*text, {.dollar_quotes = true, .brackets = false, .backticks = false});
    std::size_t i = 0;
    auto word = [&](std::string_view w) {
        if (i < tokens.size() && tokens[i].is_word(w)) {
            ++i;
            return true;
        }
        return false;
    };
    RawConcurrentIndex out;
    if (word("create")) {
        out.create = true;
        (void)word("unique");
    } else if (!word("drop")) {
        return std::nullopt;
    }
    if (!word("index") || !word("concurrently"))
        return std::nullopt;
    if (word("if")) {
        if ((out.create && !word("not")) || !word("exists"))
            return std::nullopt;
    }
    // schema.name: the index is found by its own name in the bind's schema.
    while (i < tokens.size() && (tokens[i].is(TokenKind::word) || tokens[i].is(TokenKind::quoted_identifier)) &&
           !tokens[i].is_word("on")) {
        out.name = tokens[i].is(TokenKind::word) ? lower(std::string(tokens[i].text))
                                                         : unquote_identifier(tokens[i].text);
        ++i;
        if (!(i < tokens.size() && tokens[i].is_punct('.')))
            break;
        ++i;
    }
    if (out.name.empty() || (out.create && !word("on")))
        return std::nullopt;
    return out;
}


bool phase_outside_transaction(std::span<const Op> phase, const Dialect& dialect)
{
    if (phase.size() != 1 || !dialect.capabilities().concurrent_indexes)
        return false;
    const Op& op = phase.front();
    if (const auto* create = std::get_if<CreateIndex>(&op))
        return create->concurrently;
    if (const auto* drop = std::get_if<DropIndex>(&op))
        return drop->concurrently;
    return raw_concurrent_index(op, dialect).has_value();
}

std::vector<std::span<const Op>> phases(std::span<const Op> ops)
{
    std::vector<std::span<const Op>> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= ops.size(); ++i) {
        if (i == ops.size() || std::holds_alternative<NextPhase>(ops[i])) {
            out.push_back(ops.subspan(start, i - start));
            start = i + 1;
        }
    }
    return out;
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
    // Where writers do not queue, a step is one transaction whatever its phases (and a SQLite rebuild spans them).
    const auto parts = dialect.capabilities().lock_queue ? phases(ops) : std::vector<std::span<const Op>>{ops};
    for (const auto& phase : parts) {
        plan.phases.push_back(PlanPhase{plan.items.size(), parts.size() > 1 && phase_outside_transaction(phase, dialect)});
        for (const auto& segment : segments(phase)) {
            if (segment.code) {
                plan.items.push_back(PlanItem{Statement::plain("-- data code: " + segment.code->revision),
                                              code_to_run(*segment.code, step, bind), segment.code->revision});
                continue;
            }
            for (auto& s : dialect.render_step(segment.ops, state))
                plan.items.push_back(PlanItem{std::move(s), {}, {}});
        }
    }
    return plan;
}

}  // namespace strata::detail
