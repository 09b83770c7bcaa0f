// verify: the fresh setup, the chain from empty and every step's way down agree,
// on scratch databases of the bind's dialect.
#include "strata/upgrader.hpp"

#include "strata/errors.hpp"
#include "strata/inspect.hpp"
#include "text.hpp"

#include <algorithm>

namespace strata {

namespace {

// Every table's rows, sorted, as text; columns filled by the clock are left out
// (two setups a few milliseconds apart differ there by design), and so are
// generated ids when asked (a step run twice gets new ids: they are never reused).
std::map<std::string, std::vector<std::string>> data_of(Database& db, const Schema& schema, bool with_ids)
{
    std::map<std::string, std::vector<std::string>> out;
    const auto& d = db.dialect();
    // Columns holding generated ids: autoincrement keys, and foreign keys to them.
    auto is_id = [&](const Table& t, const Column& c) {
        if (c.autoincrement)
            return true;
        for (const auto& fk : t.foreign_keys) {
            auto at = std::find(fk.columns.begin(), fk.columns.end(), c.name);
            if (at == fk.columns.end())
                continue;
            const auto* ref = schema.find_table(fk.ref_table);
            const auto index = static_cast<std::size_t>(at - fk.columns.begin());
            const auto* target = ref && index < fk.ref_columns.size() ? ref->find_column(fk.ref_columns[index]) : nullptr;
            if (target && target->autoincrement)
                return true;
        }
        return false;
    };
    for (const auto& t : schema.tables) {
        std::vector<std::string> columns;
        for (const auto& c : t.columns) {
            bool clock = c.default_value &&
                         (c.default_value->kind == Default::Kind::now || c.default_value->kind == Default::Kind::current_date);
            if (!clock && (with_ids || !is_id(t, c)))
                columns.push_back(d.quote(c.name));
        }
        if (columns.empty())
            continue;
        auto rows = db.session().query("SELECT " + detail::join(columns, ", ") + " FROM " + d.quote(t.name));
        auto& lines = out[t.name];
        for (const auto& r : rows.rows) {
            std::string line;
            for (const auto& v : r)
                line += to_display(v) + "|";
            lines.push_back(std::move(line));
        }
        std::sort(lines.begin(), lines.end());
    }
    return out;
}

struct Snapshot {
    Schema schema;
    std::map<std::string, std::vector<std::string>> data;      // with autoincrement ids
    std::map<std::string, std::vector<std::string>> content;   // without them
};

Snapshot snapshot_of(Database& db)
{
    Snapshot s;
    s.schema = db.inspect();
    s.data = data_of(db, s.schema, true);
    s.content = data_of(db, s.schema, false);
    return s;
}

enum class RowCheck { none, with_ids, without_ids };

// The first difference between two snapshots, or "" when they agree.
std::string first_difference(const Snapshot& a, const Snapshot& b, const std::string& a_label,
                             const std::string& b_label, RowCheck rows_check)
{
    auto differences = compare(a.schema, b.schema);
    if (!differences.empty())
        return to_text(differences.front(), a_label, b_label) +
               (differences.size() > 1 ? " (and " + std::to_string(differences.size() - 1) + " more)" : "");
    if (rows_check == RowCheck::none)
        return {};
    const auto& da = rows_check == RowCheck::with_ids ? a.data : a.content;
    const auto& db = rows_check == RowCheck::with_ids ? b.data : b.content;
    for (const auto& [table, rows] : da) {
        auto it = db.find(table);
        if (it == db.end() || it->second != rows)
            return "table " + table + ": rows differ (" + std::to_string(rows.size()) + " in " + a_label + ", " +
                   std::to_string(it == db.end() ? 0 : it->second.size()) + " in " + b_label + ")";
    }
    return {};
}

}  // namespace

VerifyReport Upgrader::verify(const std::string& bind, const std::function<Database()>& scratch, const RunOptions& options)
{
    validate();
    VerifyReport report;
    report.bind = bind;
    const auto& steps = this->steps(bind);
    const long long head = this->head(bind);
    auto make = [&](Database db) {
        Upgrader u;
        auto builder = u.bind(bind, std::move(db), models(bind));
        if (!has_models(bind))
            builder.without_models();
        for (const auto& step : steps)
            builder.add(step);
        return u;
    };
    RunOptions quiet = options;
    quiet.snapshots = 0;
    quiet.pre_upgrade_command.clear();
    quiet.only.clear();

    auto check = [&](const std::string& what, const std::string& difference) {
        ++report.checks;
        if (!difference.empty())
            report.failures.push_back(what + ": " + difference);
    };

    // 1. Fresh setup and the chain from empty give the same schema and the same seed data.
    auto fresh = make(scratch());
    (void)fresh.run(quiet);
    const auto fresh_state = snapshot_of(fresh.database(bind));
    {
        auto chain = make(scratch());
        RunOptions replay = quiet;
        replay.replay = true;
        (void)chain.run(replay);
        check("the chain from empty and the fresh setup differ",
              first_difference(snapshot_of(chain.database(bind)), fresh_state, "chain", "fresh setup", RowCheck::with_ids));
    }

    // 2. Every step goes up, down and up again, and its way down returns to the version before.
    {
        auto walker = make(scratch());
        RunOptions step_options = quiet;
        step_options.replay = true;
        step_options.target = 0;
        (void)walker.run(step_options);
        Snapshot before = snapshot_of(walker.database(bind));
        for (long long v = 1; v <= head; ++v) {
            step_options.target = v;
            (void)walker.run(step_options);
            Snapshot up = snapshot_of(walker.database(bind));
            try {
                (void)walker.downgrade(bind, v - 1, quiet);
            } catch (const Error& e) {
                if (e.code() != ErrorCode::irreversible)
                    throw;
                report.notes.push_back("step " + std::to_string(v) + " has no way down; not checked: " + e.message());
                before = std::move(up);
                continue;
            }
            check("step " + std::to_string(v) + " down does not return to version " + std::to_string(v - 1),
                  first_difference(snapshot_of(walker.database(bind)), before, "after down", "before up", RowCheck::without_ids));
            (void)walker.run(step_options);
            check("step " + std::to_string(v) + " up after down differs from its first run",
                  first_difference(snapshot_of(walker.database(bind)), up, "second up", "first up", RowCheck::without_ids));
            before = std::move(up);
        }
    }

    // 3. Upgrading from every version ends where the fresh setup does.
    for (long long v = 1; v < head; ++v) {
        auto from = make(scratch());
        RunOptions partial = quiet;
        partial.replay = true;
        partial.target = v;
        (void)from.run(partial);
        (void)from.run(quiet);
        check("upgrading from version " + std::to_string(v) + " and the fresh setup differ",
              first_difference(snapshot_of(from.database(bind)), fresh_state, "upgraded", "fresh setup", RowCheck::with_ids));
    }
    return report;
}

std::vector<Difference> Upgrader::check(const std::string& bind, const std::function<Database()>& scratch)
{
    auto& db = database(bind);
    const auto& d = db.dialect();
    auto current = status(bind, false);
    if (current.state == BindState::error)
        throw Error(ErrorCode::database_error, current.error);
    if (current.state == BindState::unversioned || current.state == BindState::fresh)
        throw Error(ErrorCode::unversioned, "bind '" + bind + "' has no version history: nothing to check against "
                                            "(set it up, or stamp it)");
    if (current.state == BindState::ahead)
        throw Error(ErrorCode::database_newer, "bind '" + bind + "' is at version " + std::to_string(current.current) +
                                                   ", above this program's " + std::to_string(current.head));
    const auto live = db.inspect();
    if (current.state == BindState::ok && has_models(bind))
        return compare(live, d.read_back(db.session(), d.canonical(models(bind))));
    // Not at head (or no models): the chain replayed to the bind's version on a scratch database.
    Upgrader replay;
    auto builder = replay.bind(bind, scratch(), models(bind));
    if (!has_models(bind))
        builder.without_models();
    for (const auto& step : steps(bind))
        builder.add(step);
    RunOptions options;
    options.replay = true;
    options.target = current.current;
    options.snapshots = 0;
    (void)replay.run(bind, options);
    return compare(live, replay.database(bind).inspect());
}

}  // namespace strata
