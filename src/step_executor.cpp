// The step executor: renders each run of ops where it runs, from what is really
// there, and checks that a rebuild kept everything it did not mean to remove.
#include "step_executor.hpp"

#include "strata/compare.hpp"
#include "strata/session.hpp"
#include "text.hpp"

#include <algorithm>
#include <set>

namespace strata::detail {

namespace {

// The table an op works on, when it names one by a string.
const std::string* table_of(const Op& op)
{
    return std::visit(
        [](const auto& o) -> const std::string* {
            if constexpr (requires { o.table; }) {
                if constexpr (std::is_same_v<std::remove_cvref_t<decltype(o.table)>, std::string>)
                    return &o.table;
                else
                    return nullptr;
            } else {
                return nullptr;
            }
        },
        op);
}

bool contains(const std::vector<std::string>& names, const std::string& name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

// "trigger audit_n: would be lost"
std::string loss_text(const Difference& d)
{
    std::string where;
    if (d.object == DiffObject::object) {
        where = d.name;  // "trigger t_audit on t"
    } else if (d.object == DiffObject::table) {
        where = "table " + d.table;
    } else {
        where = "table " + d.table + ": " + (d.object == DiffObject::primary_key   ? std::string("primary key")
                                             : d.object == DiffObject::foreign_key ? std::string("foreign key")
                                                                                   : std::string(to_string(d.object))) +
                " " + d.name;
    }
    switch (d.kind) {
    case Difference::Kind::removed: return where + " would be lost";
    case Difference::Kind::added: return where + " would appear";
    case Difference::Kind::changed:
        return where + ": its " + d.field + " would change from " + d.old_value + " to " + d.new_value;
    }
    return where;
}

}  // namespace

Schema tables_and_dependents(const Schema& schema, const std::vector<std::string>& tables)
{
    Schema out;
    for (const auto& t : schema.tables)
        if (contains(tables, t.name))
            out.tables.push_back(t);
    for (const auto& o : schema.objects)
        if (is_view(o.kind) || (lives_on_table(o.kind) && contains(tables, o.table)))
            out.objects.push_back(o);
    return out;
}

[[noreturn]] void StepExecutor::fail(const Step& step, const DatabaseError& e, const std::string& sql, bool down) const
{
    auto c = e.context();
    c.bind = bind_;
    c.version = step.version;
    c.description = step.description;
    if (c.sql.empty())
        c.sql = sql;
    const long long stays = stays_at_.value_or(down ? step.version : step.version - 1);
    // In doubt, the message of the error itself says what to do: nothing is known to be rolled back.
    const std::string outcome =
        e.kind() == DatabaseErrorKind::in_doubt ? "its COMMIT broke off"
        : (stays_at_ ? "the atomic upgrade was rolled back whole" : "it was rolled back") +
              std::string(" and the bind stays at version ") + std::to_string(stays);
    throw DatabaseError(e.kind(),
                        std::string(down ? "reverting" : "applying") + " step " + std::to_string(step.version) + " (\"" +
                            step.description + "\") of bind '" + bind_ + "' failed; " + outcome + ": " + e.message(),
                        std::move(c));
}

void StepExecutor::execute(const Step& step, const Statement& st, bool down)
{
    if (!st.copies_rows_of.empty() && !st.rows_key.empty() && on_work_) {
        copy_in_ranges(step, st, down);
        return;
    }
    if (!st.expect_no_rows) {
        try {
            s_.execute(st.sql);
        } catch (const DatabaseError& e) {
            fail(step, e, st.sql, down);
        }
        return;
    }
    // A guard: any row it returns, or its failing to run at all, fails the step.
    Rows rows;
    try {
        rows = s_.query(st.sql);
    } catch (const DatabaseError& e) {
        fail(step, DatabaseError(e.kind(), st.guard_message + ": " + e.message(), e.context()), st.sql, down);
    }
    if (rows.empty())
        return;
    std::string found;
    for (std::size_t i = 0; i < rows.size() && i < 5; ++i) {
        std::vector<std::string> values;
        for (const auto& v : rows.rows[i])
            values.push_back(to_display(v));
        found += (i ? "; " : "") + join(values, ", ");
    }
    fail(step,
         DatabaseError(DatabaseErrorKind::constraint,
                       st.guard_message + " (" + std::to_string(rows.size()) + " row(s) found: " + found +
                           (rows.size() > 5 ? "; ..." : "") + ")",
                       ErrorContext{.sql = st.sql}),
         st.sql, down);
}

void StepExecutor::copy_in_ranges(const Step& step, const Statement& copy, bool down)
{
    // Ranges big enough that their number costs nothing next to the copy itself.
    constexpr long long range = 50'000;
    const auto table = d_.quote(copy.copies_rows_of);
    Rows bounds;
    try {
        bounds = s_.query("SELECT min(" + copy.rows_key + "), max(" + copy.rows_key + "), count(*) FROM " + table);
    } catch (const DatabaseError& e) {
        fail(step, e, copy.sql, down);
    }
    const auto& row = bounds.rows.at(0);
    const long long total = std::get<std::int64_t>(row.at(2));
    if (total <= range) {
        Statement whole = copy;
        whole.copies_rows_of.clear();
        execute(step, whole, down);
        return;
    }
    // Ranges of `range` rows each, whatever the gaps between the keys: a range
    // ends at the key `range` rows on, found by stepping the key's b-tree.
    const auto& key = copy.rows_key;
    const std::string sql = copy.sql + " WHERE " + key + " >= ? AND " + key + " <= ?";
    const std::string end_of_range = "SELECT " + key + " FROM " + table + " WHERE " + key + " >= ? ORDER BY " + key +
                                     " LIMIT 1 OFFSET " + std::to_string(range - 1);
    const std::string next_key = "SELECT min(" + key + ") FROM " + table + " WHERE " + key + " > ?";
    long long from = std::get<std::int64_t>(row.at(0));
    const long long last = std::get<std::int64_t>(row.at(1));
    long long done = 0;
    for (;;) {
        try {
            const auto end = s_.query(end_of_range, {from});
            const long long to = end.empty() ? last : std::get<std::int64_t>(end.rows[0][0]);
            done += s_.execute(sql, {from, to});
            on_work_(WorkProgress{bind_, "rebuild of table " + copy.copies_rows_of, std::min(done, total), total, "rows"});
            if (to >= last)
                break;
            from = std::get<std::int64_t>(s_.scalar(next_key, {to}));
        } catch (const DatabaseError& e) {
            fail(step, e, sql, down);
        }
    }
}

void StepExecutor::check(const Step& step, const TransactionFrame& frame, bool down)
{
    for (const auto& guard : frame.checks)
        execute(step, guard, down);
}

void StepExecutor::run(const Step& step, bool down)
{
    const auto ops = step_ops(step, down, bind_);
    run_ops(step, ops, down);
}

void StepExecutor::run_ops(const Step& step, std::span<const Op> ops, bool down)
{
    for (const auto& segment : segments(ops)) {
        if (segment.code)
            run_code(step, *segment.code, down);
        else
            run_schema_ops(step, segment.ops, down);
    }
}

void StepExecutor::run_code(const Step& step, const DataCode& code, bool down)
{
    const auto& function = code_to_run(code, step, bind_);
    // Whatever the code does (DDL in one of several statements of a text, through
    // the SOCI session or the engine's own handle), the tracked schema can no
    // longer be trusted; what renders from a table reads it again anyway.
    state_.exact = false;
    try {
        function(s_);
    } catch (const DatabaseError& e) {
        fail(step, e, "-- data code: " + code.revision, down);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        fail(step, DatabaseError(DatabaseErrorKind::other, std::string("data code threw: ") + e.what()),
             "-- data code: " + code.revision, down);
    }
}

void StepExecutor::run_schema_ops(const Step& step, std::span<const Op> ops, bool down)
{
    // The tables whose real definition the rendering needs (a SQLite rebuild).
    std::vector<std::string> live;
    bool whole = false;
    for (const auto& op : ops) {
        if (!d_.renders_from_state(op))
            continue;
        if (const auto* table = table_of(op)) {
            if (!contains(live, *table))
                live.push_back(*table);
        } else {
            whole = true;
        }
    }
    if (whole) {
        state_.schema = d_.inspect(s_);
        state_.exact = true;
    } else if (!live.empty()) {
        read_live(live);
    }
    for (const auto& st : render(ops))
        execute(step, st, down);
    if (std::any_of(ops.begin(), ops.end(), [](const Op& op) { return std::holds_alternative<ExecuteSql>(op); }))
        state_.exact = false;  // raw SQL: strata cannot see into it
    if (!live.empty())
        check_survival(step, live, down);
}

std::vector<Statement> StepExecutor::render(std::span<const Op> ops)
{
    try {
        return d_.render_step(ops, state_.schema);
    } catch (const ModelError&) {
        if (state_.exact)
            throw;
        // The tracked schema lags behind raw SQL or data code: an op that does not
        // fit it is rendered again from the live schema before anyone calls it wrong.
        state_.schema = d_.inspect(s_);
        state_.exact = true;
        return d_.render_step(ops, state_.schema);
    }
}

void StepExecutor::read_live(const std::vector<std::string>& tables)
{
    auto live = d_.inspect_tables(s_, tables);
    auto& schema = state_.schema;
    for (const auto& name : tables) {
        const Table* real = live.find_table(name);
        auto it = std::find_if(schema.tables.begin(), schema.tables.end(), [&](const Table& t) { return t.name == name; });
        if (real && it != schema.tables.end())
            *it = *real;
        else if (real)
            schema.tables.push_back(*real);
        else if (it != schema.tables.end())
            schema.tables.erase(it);
    }
    std::erase_if(schema.objects, [&](const SqlObject& o) {
        return is_view(o.kind) || (lives_on_table(o.kind) && contains(tables, o.table));
    });
    for (auto& o : live.objects)
        schema.objects.push_back(std::move(o));
}

void StepExecutor::check_survival(const Step& step, const std::vector<std::string>& tables, bool down)
{
    // What the ops promised: the tables as read before, with the ops applied.
    const Schema expected = d_.canonical(tables_and_dependents(state_.schema, tables));
    const Schema actual = d_.inspect_tables(s_, tables);
    CompareOptions options;
    options.object_definitions = d_.capabilities().preserves_object_sql;
    const auto differences = compare(expected, actual, options);
    if (differences.empty())
        return;
    std::string what;
    for (const auto& d : differences)
        what += "\n  - " + loss_text(d);
    fail(step,
         DatabaseError(DatabaseErrorKind::schema,
                       "the change of table(s) " + join(tables, ", ") + " would not keep what the step does not "
                           "remove:" + what + "\n(drop or change those in the same step, before this op, if they "
                           "are meant to go)"),
         "-- survival check of " + join(tables, ", "), down);
}

}  // namespace strata::detail
