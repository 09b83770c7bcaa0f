// Offline SQL (`sql`) and `upgrade --dry-run`: the planner's statements printed
// instead of run, with the version-store statements around each step.
#include "strata/upgrader.hpp"

#include "plan.hpp"
#include "strata/errors.hpp"
#include "text.hpp"
#include "version_store.hpp"

#include <span>

namespace strata {

namespace {

class ScriptWriter {
public:
    explicit ScriptWriter(const Dialect& dialect, std::chrono::milliseconds lock_timeout = RunOptions{}.step_lock_timeout)
        : d_(dialect), lock_timeout_(lock_timeout)
    {
    }

    void comment(const std::string& text) { out_ += "-- " + text + "\n"; }
    void blank() { out_ += "\n"; }
    void statement(const Statement& s)
    {
        if (!s.comment.empty())
            comment(s.comment);
        if (s.expect_no_rows)
            comment("guard, must return no rows: " + s.guard_message);
        out_ += s.sql + ";\n";
    }
    void statements(const std::vector<Statement>& list)
    {
        for (const auto& s : list)
            statement(s);
    }

    // One step as upgrade runs it: what goes before the transaction, the
    // transaction with the step, its checks and its version row, what goes after.
    void step(const Step& step, const detail::StepPlan& plan, StepKind kind)
    {
        comment(std::string(plan.down ? "revert" : "step") + " " + std::to_string(step.version) + ": " + step.description);
        statements(plan.frame.before);
        if (batched(step)) {
            backfill(step, std::get<Backfill>(step.ops.front()));
            out_ += "BEGIN;\n";
            statement(detail::insert_version_row(d_, {step.version, step.description, kind, checksum(step), std::nullopt}));
            out_ += "COMMIT;\n\n";
            return;
        }
        // Each phase a transaction of its own (or none), as upgrade runs them; the
        // last one holds the version row.
        for (std::size_t k = 0; k < plan.phases.size(); ++k) {
            const bool outside = step.no_transaction || plan.phases[k].outside_transaction;
            const std::size_t end = k + 1 < plan.phases.size() ? plan.phases[k + 1].first : plan.items.size();
            if (plan.phases.size() > 1)
                comment("phase " + std::to_string(k + 1) + " of " + std::to_string(plan.phases.size()) +
                        (outside ? ", outside a transaction" : ""));
            // As upgrade bounds each statement's lock wait (it also retries; a script does not).
            const auto bound = d_.lock_wait_bound(step.lock_timeout.value_or(lock_timeout_), !outside);
            if (!outside)
                out_ += "BEGIN;\n";
            if (!bound.empty())
                out_ += bound + ";\n";
            for (std::size_t i = plan.phases[k].first; i < end; ++i) {
                const auto& item = plan.items[i];
                if (item.code)
                    comment("data code \"" + item.code_revision + "\" runs here (in the application)");
                else
                    statement(item.statement);
            }
            if (k + 1 < plan.phases.size() && !outside)
                out_ += "COMMIT;\n";
            if (k + 1 == plan.phases.size() && outside)
                out_ += "BEGIN;\n";
        }
        statements(plan.frame.checks);
        statement(detail::insert_version_row(d_, {step.version, step.description, kind, checksum(step), std::nullopt}));
        out_ += "COMMIT;\n";
        statements(plan.frame.after);
        blank();
    }

    [[nodiscard]] std::string text() const { return out_; }

private:
    // A backfill where writers queue (PostgreSQL): batches as upgrade runs them,
    // each committed on its own (a DO block may COMMIT when psql runs it outside
    // a transaction, PostgreSQL 11+).
    [[nodiscard]] bool batched(const Step& step) const
    {
        return step.ops.size() == 1 && std::holds_alternative<Backfill>(step.ops.front()) &&
               d_.capabilities().lock_queue;
    }
    void backfill(const Step& step, const Backfill& fill)
    {
        const auto table = d_.quote(fill.table), key = d_.quote(fill.key);
        comment("in batches of " + std::to_string(fill.batch_size) + " keys, each its own transaction");
        out_ += "DO $strata$\nDECLARE lo bigint; hi bigint;\nBEGIN\n  SELECT min(" + key + "), max(" + key + ") INTO lo, hi FROM " +
                table + ";\n  WHILE lo <= hi LOOP\n    " + d_.lock_wait_bound(step.lock_timeout.value_or(lock_timeout_), true) +
                ";\n    UPDATE " + table + " SET " + fill.set + " WHERE " + key + " >= lo AND " + key + " < lo + " +
                std::to_string(fill.batch_size) + (fill.where.empty() ? "" : " AND (" + fill.where + ")") +
                ";\n    COMMIT;\n    lo := lo + " + std::to_string(fill.batch_size) + ";\n" +
                (fill.pause.count() > 0 ? "    PERFORM pg_sleep(" + std::to_string(fill.pause.count() / 1000.0) + ");\n" : "") +
                "  END LOOP;\nEND $strata$;\n";
    }

    const Dialect& d_;
    std::chrono::milliseconds lock_timeout_;
    std::string out_;
};

const Step& step_at(const std::vector<Step>& steps, long long version)
{
    return steps.at(static_cast<std::size_t>(version - 1));
}

// The script from `from` to `to`, the schema before `from` given.
std::string render_range(const std::string& bind, const std::vector<Step>& steps, long long from, long long to,
                         const Dialect& dialect, Schema state, bool version_store,
                         std::chrono::milliseconds lock_timeout = RunOptions{}.step_lock_timeout)
{
    ScriptWriter w(dialect, lock_timeout);
    w.comment("strata: bind " + bind + ", version " + std::to_string(from) + " -> " + std::to_string(to) + ", " +
              std::string(dialect.name()));
    w.blank();
    if (version_store) {
        w.comment("the version store");
        w.statements(detail::create_version_table(dialect));
        w.blank();
    }
    if (to >= from) {
        for (long long v = from + 1; v <= to; ++v) {
            const auto& s = step_at(steps, v);
            auto plan = detail::plan_step(s, false, dialect, state, bind);
            w.step(s, plan, StepKind::applied);
        }
    } else {
        for (long long v = from; v > to; --v) {
            const auto& s = step_at(steps, v);
            auto plan = detail::plan_step(s, true, dialect, state, bind);
            w.step(s, plan, StepKind::reverted);
        }
    }
    return w.text();
}

// The models' schema after the steps up to `version`, replayed from empty (raw
// SQL and data code change nothing the model can see).
Schema replayed(const std::vector<Step>& steps, long long version)
{
    Schema state;
    for (long long v = 1; v <= version; ++v)
        for (const auto& op : step_at(steps, v).ops)
            apply(state, op);
    return state;
}

}  // namespace

std::string Upgrader::sql(const std::string& bind, long long from, long long to, const Dialect& dialect) const
{
    const auto& all = steps(bind);
    const long long head = this->head(bind);
    if (from < 0 || from > head || to < 0 || to > head)
        throw ConfigError("bind '" + bind + "' has steps 1.." + std::to_string(head) + ": --from and --to must be within 0.." +
                          std::to_string(head));
    const_cast<Upgrader*>(this)->validate();
    return render_range(bind, all, from, to, dialect, replayed(all, from), from == 0 && to > 0);
}

std::string Upgrader::dry_run(const std::string& bind, const RunOptions& options)
{
    validate();
    auto& db = database(bind);
    auto& session = db.session();
    const auto& dialect = db.dialect();
    const auto& all = steps(bind);
    const long long head = this->head(bind);
    const long long target = options.target.value_or(head);
    auto current = detail::read_current_version(session);
    if (current && *current > head)
        throw Error(ErrorCode::database_newer, "bind '" + bind + "' is at version " + std::to_string(*current) +
                                                   ", above this program's " + std::to_string(head));
    if (!current) {
        if (dialect.has_tables(session))
            throw Error(ErrorCode::unversioned,
                        "bind '" + bind + "' has tables but no strata_version: adopt it with `stamp <version>`");
        if (options.replay || !has_models(bind) || target != head) {
            auto script = render_range(bind, all, 0, target, dialect, Schema{}, true, options.step_lock_timeout);
            return "-- dry run: the bind is empty; the chain from empty would run\n" + script;
        }
        ScriptWriter w(dialect);
        w.comment("dry run: the bind is empty; a fresh setup would run, in one transaction");
        w.blank();
        w.statement(Statement::plain("BEGIN"));
        w.statements(dialect.prepare_fresh(db.url()));
        w.statements(detail::create_version_table(dialect));
        w.statements(dialect.create_all(models(bind)));
        Schema state = models(bind);
        for (const auto& s : all) {
            if (s.skipped_on_fresh()) {
                w.statement(detail::insert_version_row(dialect, {s.version, s.description, StepKind::skipped, checksum(s), std::nullopt}));
                continue;
            }
            auto plan = detail::plan_step(s, false, dialect, state, bind);
            for (const auto& item : plan.items) {
                if (item.code)
                    w.comment("data code \"" + item.code_revision + "\" of step " + std::to_string(s.version) + " runs here");
                else
                    w.statement(item.statement);
            }
            w.statement(detail::insert_version_row(dialect, {s.version, s.description, StepKind::applied, checksum(s), std::nullopt}));
        }
        w.statement(detail::insert_version_row(dialect, {head, "fresh setup from the models", StepKind::fresh, {}, std::nullopt}));
        w.statement(Statement::plain("COMMIT"));
        return w.text();
    }
    if (*current == target)
        return "-- dry run: bind " + bind + " is at version " + std::to_string(*current) + "; nothing to do\n";
    if (*current > target)
        throw ConfigError("bind '" + bind + "' is at version " + std::to_string(*current) + ", above the target " +
                          std::to_string(target) + ": use downgrade");
    // From the live schema: a SQLite rebuild then also recreates what only the
    // live database has; such statements are marked.
    const auto live = dialect.inspect(session);
    auto script = render_range(bind, all, *current, target, dialect, live, false, options.step_lock_timeout);
    const auto offline =
        render_range(bind, all, *current, target, dialect, replayed(all, *current), false, options.step_lock_timeout);
    std::string marked;
    std::size_t pos = 0;
    while (pos < script.size()) {
        auto eol = script.find('\n', pos);
        if (eol == std::string::npos)
            eol = script.size();
        std::string line = script.substr(pos, eol - pos);
        if (!line.empty() && !line.starts_with("--") && offline.find(line) == std::string::npos)
            marked += "-- found only in the live database:\n";
        marked += line + "\n";
        pos = eol + 1;
    }
    std::string lint;
    const std::span<const Step> pending(all.data() + *current, static_cast<std::size_t>(target - *current));
    for (const auto& f : lint_steps(pending, dialect, bind, LintOptions{options.step_lock_timeout})) {
        lint += "-- lint: ";
        for (char ch : format_finding(f))
            lint += ch == '\n' ? std::string("\n--   ") : std::string(1, ch);
        lint += "\n";
    }
    return "-- dry run: what upgrade would execute now\n" + lint + marked;
}

}  // namespace strata
