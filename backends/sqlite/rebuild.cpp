// The SQLite table rebuild: the 12 steps of https://sqlite.org/lang_altertable.html
// ("Making Other Kinds Of Table Schema Changes"), in order, each commented with
// the trap it avoids. Several changes to one table share one rebuild. Steps 1, 10
// and 12 (foreign keys off, checked, on) frame the whole transaction:
// SqliteDialect::frame below. The upgrader renders a rebuild from the
// table's definition read inside the transaction, and compares the table
// afterwards with what the ops promised (step_executor.cpp).
#include "sql_tokenizer.hpp"
#include "sqlite_dialect.hpp"
#include "strata/errors.hpp"
#include "text.hpp"

#include <algorithm>
#include <map>

namespace strata::sqlite {

namespace {

Statement in_transaction(std::string sql, std::string comment = {})
{
    Statement s = Statement::plain(std::move(sql));
    s.comment = std::move(comment);
    return s;
}

Statement guard(std::string sql, std::string message, std::string comment = {})
{
    Statement s = in_transaction(std::move(sql), std::move(comment));
    s.expect_no_rows = true;
    s.guard_message = std::move(message);
    return s;
}

bool mentions(const std::string& sql, const std::string& identifier)
{
    for (const auto& t : detail::tokenize(sql, {.dollar_quotes = false}))
        if ((t.kind == detail::TokenKind::word && detail::iequals(t.text, identifier)) ||
            (t.kind == detail::TokenKind::quoted_identifier && detail::unquote_identifier(t.text) == identifier))
            return true;
    return false;
}

bool has_autoincrement(const Table& t)
{
    return std::any_of(t.columns.begin(), t.columns.end(), [&](const Column& c) { return c.autoincrement; });
}

}  // namespace

std::vector<Statement> SqliteDialect::rebuild(std::span<const Op> ops, const Schema& before) const
{
    const auto* changed = rebuilt_table(ops.front());
    const std::string table_name = changed ? *changed : std::string();
    const Table* old_table = before.find_table(table_name);
    if (!old_table)
        throw ModelError(describe(ops.front()) + ": there is no table '" + table_name + "' at this point of the history",
                         ErrorContext{.table = table_name});

    Schema after = before;
    std::map<std::string, std::string> source;  // new column -> old column it is copied from
    for (const auto& c : old_table->columns)
        source[c.name] = c.name;
    for (const auto& op : ops) {
        apply(after, op);
        if (const auto* drop = std::get_if<DropColumn>(&op))
            source.erase(drop->column);
        else if (const auto* rename = std::get_if<RenameColumn>(&op)) {
            source[rename->to] = source[rename->from];
            source.erase(rename->from);
        }
    }
    Table fresh = *after.find_table(table_name);
    canonicalize_table(fresh, after);

    const std::string temp = "_strata_new_" + table_name;
    const std::string what = "rebuild of table " + table_name;
    std::vector<Statement> out;

    // 1. and 2.: foreign keys off, then BEGIN: the frame and the executor.

    // 3. What must come back: the new definition's indexes, and the triggers on
    //    the table (DROP TABLE drops both). Views are kept: they name the table,
    //    which exists again after step 7. A trigger that uses a dropped column
    //    would come back broken (SQLite does not check trigger bodies): it is
    //    left out, and the survival check names it as lost.
    std::vector<std::string> dropped;
    for (const auto& c : old_table->columns)
        if (std::none_of(source.begin(), source.end(), [&](const auto& kv) { return kv.second == c.name; }))
            dropped.push_back(c.name);
    std::vector<const SqlObject*> triggers;
    for (const auto& o : after.objects)
        if (o.kind == ObjectKind::trigger && o.table == table_name && o.definition_for(name()) &&
            std::none_of(dropped.begin(), dropped.end(),
                         [&](const std::string& c) { return mentions(*o.definition_for(name()), c); }))
            triggers.push_back(&o);

    // 4. The table in its new form, under a temporary name. Its own foreign keys
    //    already name the final table, so self-references resolve after step 7.
    Table temp_table = fresh;
    temp_table.name = temp;
    out.push_back(in_transaction(create_table_sql(temp_table), what + ": the new table"));

    // 5. Copy every row; generated columns compute themselves, new columns take
    //    their defaults. No CAST: SQLite's affinity converts what converts and
    //    keeps the rest as written, where a CAST would turn 'abc' into 0.
    std::vector<std::string> target_columns, source_columns;
    for (const auto& c : fresh.columns) {
        if (c.generated)
            continue;
        auto it = source.find(c.name);
        if (it == source.end())
            continue;
        const Column* old_column = old_table->find_column(it->second);
        if (!old_column || old_column->generated)
            continue;
        target_columns.push_back(quote(c.name));
        source_columns.push_back(quote(it->second));
    }
    if (target_columns.empty())
        throw ModelError("the rebuild of table '" + table_name + "' would keep none of its columns: drop and create "
                         "the table instead", ErrorContext{.table = table_name});
    Statement copy = in_transaction("INSERT INTO " + quote(temp) + " (" + detail::join(target_columns, ", ") +
                                    ") SELECT " + detail::join(source_columns, ", ") + " FROM " + quote(table_name));
    // In ranges of rowid (for progress) unless a column takes the name.
    const bool rowid_named = std::any_of(old_table->columns.begin(), old_table->columns.end(), [](const Column& c) {
        return detail::iequals(c.name, "rowid") || detail::iequals(c.name, "_rowid_") || detail::iequals(c.name, "oid");
    });
    if (!old_table->without_rowid && !rowid_named) {
        copy.copies_rows_of = table_name;
        copy.rows_key = "rowid";
    }
    out.push_back(std::move(copy));
    out.push_back(guard("SELECT 1 WHERE (SELECT count(*) FROM " + quote(table_name) + ") <> (SELECT count(*) FROM " +
                            quote(temp) + ")",
                        "the rebuild of table '" + table_name + "' copied a different number of rows",
                        what + ": every row copied"));
    // AUTOINCREMENT never reuses an id: carry the counter over, not just max(id).
    if (has_autoincrement(fresh) && has_autoincrement(*old_table)) {
        out.push_back(in_transaction("DELETE FROM sqlite_sequence WHERE name = " + detail::single_quoted(temp)));
        out.push_back(in_transaction("INSERT INTO sqlite_sequence (name, seq) SELECT " + detail::single_quoted(temp) +
                                     ", seq FROM sqlite_sequence WHERE name = " + detail::single_quoted(table_name)));
    }

    // Since 3.26 RENAME re-checks every view and trigger that names the table;
    // between steps 6 and 7 it does not exist, so that check would fail. The
    // legacy mode renames without rewriting them, which is exactly right here.
    out.push_back(in_transaction("PRAGMA legacy_alter_table = ON"));
    // 6. Drop the old table (with foreign keys off: no cascade, no SET NULL).
    out.push_back(in_transaction("DROP TABLE " + quote(table_name)));
    // 7. The new table takes the old name (sqlite_sequence follows the rename).
    out.push_back(in_transaction("ALTER TABLE " + quote(temp) + " RENAME TO " + quote(table_name)));
    out.push_back(in_transaction("PRAGMA legacy_alter_table = OFF"));

    // 8. Indexes (partial, descending, expression) and triggers come back.
    for (const auto& ix : fresh.indexes)
        out.push_back(in_transaction(create_index_sql(table_name, ix, false)));
    for (const auto* trigger : triggers)
        out.push_back(in_transaction(std::string(detail::trim(*trigger->definition_for(name())))));

    // 9. Views that name the table must still work with its new columns.
    for (const auto& o : after.objects)
        if (o.kind == ObjectKind::view && o.definition_for(name()) && mentions(*o.definition_for(name()), table_name))
            out.push_back(guard("SELECT * FROM " + quote(o.name) + " LIMIT 0",
                                "view '" + o.name + "' no longer works after the rebuild of table '" + table_name +
                                    "': change the view in the same step",
                                what + ": view " + o.name + " still valid"));

    // 10. to 12.: foreign keys checked, COMMIT, foreign keys on: the frame and the executor.
    return out;
}

bool SqliteDialect::renders_from_state(const Op& op) const
{
    // The ops that may rebuild their table; whether a column drop does depends on
    // what uses the column, so it reads the table too.
    if (const auto* add = std::get_if<AddColumn>(&op))
        return !rebuild_reason(*add, Schema{}).empty();
    return std::holds_alternative<AlterColumn>(op) || std::holds_alternative<DropColumn>(op) ||
           std::holds_alternative<AddForeignKey>(op) || std::holds_alternative<DropForeignKey>(op) ||
           std::holds_alternative<AddUnique>(op) || std::holds_alternative<DropUnique>(op) ||
           std::holds_alternative<AddCheck>(op) || std::holds_alternative<DropCheck>(op);
}

// Without ALTER TABLE ... DROP CONSTRAINT, clean-db drops the tables with foreign
// keys off, outside the transaction where the pragma takes effect.
std::vector<Statement> SqliteDialect::drop_all(const Schema& live) const
{
    auto out = SqlDialect::drop_all(live);
    Statement off = Statement::plain("PRAGMA foreign_keys = OFF");
    off.phase = Statement::Phase::before_transaction;
    Statement on = Statement::plain("PRAGMA foreign_keys = ON");
    on.phase = Statement::Phase::after_transaction;
    out.insert(out.begin(), off);
    out.push_back(on);
    return out;
}

TransactionFrame SqliteDialect::frame(std::span<const Op> ops) const
{
    TransactionFrame f;
    if (std::none_of(ops.begin(), ops.end(), [this](const Op& op) { return renders_from_state(op); }))
        return f;
    // Steps 1, 10 and 12 of the rebuild procedure (rebuild.cpp has the others).
    // 1. Foreign keys off, OUTSIDE the transaction: inside one the pragma is a
    //    silent no-op, and DROP TABLE would then run ON DELETE CASCADE on every
    //    child row, the trap that lost data in Rails, Atlas, Drizzle and ent.
    Statement off = Statement::plain("PRAGMA foreign_keys = OFF");
    off.comment = "table rebuild: foreign keys off outside the transaction";
    f.before.push_back(off);
    // 10. Nothing done while they were off (the rebuild, and data code or raw SQL
    //     beside it) may leave a foreign key pointing at nothing.
    Statement check = Statement::plain("SELECT \"table\", \"parent\", count(*) FROM pragma_foreign_key_check "
                                       "GROUP BY \"table\", \"parent\"");
    check.expect_no_rows = true;
    check.guard_message = "rows would be left whose foreign keys point at nothing (foreign keys are off around a "
                          "table rebuild; PRAGMA foreign_key_check lists them)";
    check.comment = "foreign keys intact";
    f.checks.push_back(check);
    // 12. Foreign keys back on, also after a failure.
    f.after.push_back(Statement::plain("PRAGMA legacy_alter_table = OFF"));
    Statement on = Statement::plain("PRAGMA foreign_keys = ON");
    on.comment = "table rebuild: foreign keys back on";
    f.after.push_back(on);
    return f;
}

}  // namespace strata::sqlite
