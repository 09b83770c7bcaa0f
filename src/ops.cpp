// Operations as data: description, reversal and their effect on a schema model.
#include "strata/ops.hpp"

#include "sql_tokenizer.hpp"
#include "strata/errors.hpp"
#include "text.hpp"

#include <algorithm>

namespace strata {

namespace {

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

const char* to_string(RowSecurity rls) noexcept
{
    switch (rls) {
    case RowSecurity::off: return "off";
    case RowSecurity::enabled: return "enabled";
    case RowSecurity::forced: return "forced";
    }
    return "off";
}

RowSecurity row_security_of(const Table& table) noexcept
{
    return table.force_row_security ? RowSecurity::forced : table.row_security ? RowSecurity::enabled : RowSecurity::off;
}

std::string describe(const Op& op)
{
    return std::visit(
        Overloaded{
            [](const CreateTable& o) { return "create_table " + o.table.name; },
            [](const DropTable& o) { return "drop_table " + o.table; },
            [](const RenameTable& o) { return "rename_table " + o.from + " -> " + o.to; },
            [](const AddColumn& o) { return "add_column " + o.table + "." + o.column.name; },
            [](const DropColumn& o) { return "drop_column " + o.table + "." + o.column; },
            [](const RenameColumn& o) { return "rename_column " + o.table + "." + o.from + " -> " + o.to; },
            [](const AlterColumn& o) { return "alter_column " + o.table + "." + o.from.name; },
            [](const CreateIndex& o) { return "create_index " + o.index.name + " on " + o.table; },
            [](const DropIndex& o) { return "drop_index " + o.name; },
            [](const AddForeignKey& o) {
                return "add_foreign_key " + o.foreign_key.name + " on " + o.table + (o.not_valid ? " (not valid)" : "");
            },
            [](const DropForeignKey& o) { return "drop_foreign_key " + o.name + " on " + o.table; },
            [](const AddUnique& o) {
                return "add_unique " + o.unique.name + " on " + o.table +
                       (o.using_index.empty() ? "" : " (using index " + o.using_index + ")");
            },
            [](const DropUnique& o) { return "drop_unique " + o.name + " on " + o.table; },
            [](const AddCheck& o) {
                return "add_check " + o.check.name + " on " + o.table + (o.not_valid ? " (not valid)" : "");
            },
            [](const ValidateConstraint& o) { return "validate_constraint " + o.name + " on " + o.table; },
            [](const DropCheck& o) { return "drop_check " + o.name + " on " + o.table; },
            [](const AddExclusion& o) { return "add_exclusion " + o.exclusion.name + " on " + o.table; },
            [](const DropExclusion& o) { return "drop_exclusion " + o.name + " on " + o.table; },
            [](const SetRowSecurity& o) { return "set_row_security " + o.table + " " + to_string(o.to); },
            [](const AttachPartition& o) { return "attach_partition " + o.table + " to " + o.parent; },
            [](const DetachPartition& o) { return "detach_partition " + o.table + " from " + o.parent; },
            [](const CreateObject& o) { return std::string("create_") + to_string(o.object.kind) + " " + o.object.name; },
            [](const DropObject& o) { return std::string("drop_") + to_string(o.kind) + " " + o.name; },
            [](const ExecuteSql&) { return std::string("execute_sql"); },
            [](const Backfill& o) { return "backfill " + o.table + " set " + o.set; },
            [](const NextPhase&) { return std::string("next_phase"); },
            [](const DataCode& o) { return "run_code " + o.revision; },
        },
        op);
}

namespace {

// A unique constraint that took over an index: dropping the constraint drops
// the index too, so the index's own reverse has nothing left to drop.
bool taken_over(const Op& op, const std::vector<std::string>& taken)
{
    const auto* create = std::get_if<CreateIndex>(&op);
    return create && std::find(taken.begin(), taken.end(), create->index.name) != taken.end();
}

// No empty phase on the way down: a phase boundary at either end or twice in a row goes.
void drop_empty_phases(std::vector<Op>& ops)
{
    std::vector<Op> out;
    for (auto& op : ops) {
        const bool boundary = std::holds_alternative<NextPhase>(op);
        if (boundary && (out.empty() || std::holds_alternative<NextPhase>(out.back())))
            continue;
        out.push_back(std::move(op));
    }
    if (!out.empty() && std::holds_alternative<NextPhase>(out.back()))
        out.pop_back();
    ops = std::move(out);
}

}  // namespace

Reversals reverse_all(const std::vector<Op>& ops)
{
    Reversals out;
    std::vector<std::string> taken;
    for (auto it = ops.rbegin(); it != ops.rend(); ++it) {
        if (const auto* unique = std::get_if<AddUnique>(&*it); unique && !unique->using_index.empty())
            taken.push_back(unique->using_index);
        if (taken_over(*it, taken))
            continue;
        auto r = reverse(*it);
        if (r.op)
            out.ops.push_back(std::move(*r.op));
        else
            out.irreversible.push_back(std::move(r.why_not));
    }
    drop_empty_phases(out.ops);
    return out;
}

Reversal reverse(const Op& op)
{
    auto ok = [](Op o) { return Reversal{std::move(o), {}}; };
    auto no = [](std::string why) { return Reversal{std::nullopt, std::move(why)}; };
    return std::visit(
        Overloaded{
            [&](const CreateTable& o) { return ok(DropTable{o.table.name, o.table}); },
            [&](const DropTable& o) {
                return o.definition ? ok(CreateTable{*o.definition})
                                    : no("drop_table " + o.table + " does not record the table's definition");
            },
            [&](const RenameTable& o) { return ok(RenameTable{o.to, o.from}); },
            [&](const AddColumn& o) { return ok(DropColumn{o.table, o.column.name, o.column}); },
            [&](const DropColumn& o) {
                return o.definition ? ok(AddColumn{o.table, *o.definition})
                                    : no("drop_column " + o.table + "." + o.column +
                                         " does not record the dropped column's definition");
            },
            [&](const RenameColumn& o) { return ok(RenameColumn{o.table, o.to, o.from}); },
            [&](const AlterColumn& o) { return ok(AlterColumn{o.table, o.to, o.from}); },
            [&](const CreateIndex& o) { return ok(DropIndex{o.table, o.index.name, o.index, o.concurrently}); },
            [&](const DropIndex& o) {
                return o.definition ? ok(CreateIndex{o.table, *o.definition, o.concurrently})
                                    : no("drop_index " + o.name + " does not record the index's definition");
            },
            [&](const AddForeignKey& o) { return ok(DropForeignKey{o.table, o.foreign_key.name, o.foreign_key}); },
            [&](const DropForeignKey& o) {
                return o.definition ? ok(AddForeignKey{o.table, *o.definition})
                                    : no("drop_foreign_key " + o.name + " does not record the key's definition");
            },
            // Taking over an index (using_index) is undone whole: the constraint goes with its index.
            [&](const AddUnique& o) { return ok(DropUnique{o.table, o.unique.name, o.unique}); },
            [&](const DropUnique& o) {
                return o.definition ? ok(AddUnique{o.table, *o.definition})
                                    : no("drop_unique " + o.name + " does not record the constraint's definition");
            },
            [&](const AddCheck& o) { return ok(DropCheck{o.table, o.check.name, o.check}); },
            // Validating again undoes nothing and harms nothing: the way down keeps the constraint.
            [&](const ValidateConstraint& o) { return ok(o); },
            // The rows keep their values; the step that added the column takes it away.
            [&](const Backfill&) {
                ExecuteSql nothing;
                nothing.sql.on("", "");
                return ok(std::move(nothing));
            },
            [&](const DropCheck& o) {
                return o.definition ? ok(AddCheck{o.table, *o.definition})
                                    : no("drop_check " + o.name + " does not record the constraint's definition");
            },
            [&](const AddExclusion& o) { return ok(DropExclusion{o.table, o.exclusion.name, o.exclusion}); },
            [&](const DropExclusion& o) {
                return o.definition ? ok(AddExclusion{o.table, *o.definition})
                                    : no("drop_exclusion " + o.name + " does not record the constraint's definition");
            },
            [&](const SetRowSecurity& o) {
                return o.from ? ok(SetRowSecurity{o.table, *o.from, o.to})
                              : no("set_row_security " + o.table + " does not record what it was before");
            },
            [&](const AttachPartition& o) { return ok(DetachPartition{o.table, o.parent, o.bound}); },
            [&](const DetachPartition& o) {
                return o.bound ? ok(AttachPartition{o.table, o.parent, *o.bound})
                               : no("detach_partition " + o.table + " does not record the partition's bound");
            },
            [&](const CreateObject& o) { return ok(DropObject{o.object.kind, o.object.name, o.object}); },
            [&](const DropObject& o) {
                return o.definition ? ok(CreateObject{*o.definition})
                                    : no(std::string("drop_") + to_string(o.kind) + " " + o.name +
                                         " does not record the object's definition");
            },
            [&](const NextPhase& o) { return ok(o); },
            [&](const ExecuteSql& o) {
                return o.down.empty() ? no("raw SQL has no down SQL") : ok(ExecuteSql{o.down, o.sql});
            },
            [&](const DataCode& o) {
                return o.down ? ok(DataCode{o.revision, o.down, o.up}) : no("data code has no down function");
            },
        },
        op);
}

bool is_model_expressible(const Op& op) noexcept
{
    return !std::holds_alternative<ExecuteSql>(op) && !std::holds_alternative<DataCode>(op);
}

namespace {

[[noreturn]] void misfit(const std::string& what, const std::string& table = {}, const std::string& column = {})
{
    ErrorContext c;
    c.table = table;
    c.column = column;
    throw ModelError(what, std::move(c));
}

Table& table_of(Schema& s, const std::string& name, const std::string& op)
{
    if (auto* t = s.find_table(name))
        return *t;
    misfit(op + ": there is no table '" + name + "' at this point of the history", name);
}

template <class Vec, class Pred>
bool erase_where(Vec& v, Pred pred)
{
    auto before = v.size();
    v.erase(std::remove_if(v.begin(), v.end(), pred), v.end());
    return v.size() != before;
}

bool contains(const std::vector<std::string>& v, const std::string& x)
{
    return std::find(v.begin(), v.end(), x) != v.end();
}

using detail::TokenKind;

bool mentions(const std::string& expression, const std::string& identifier)
{
    for (const auto& t : detail::tokenize(expression, {.brackets = false}))
        if ((t.kind == TokenKind::word && detail::iequals(t.text, identifier)) ||
            (t.kind == TokenKind::quoted_identifier && detail::unquote_identifier(t.text) == identifier))
            return true;
    return false;
}

std::string rename_in_expression(const std::string& expression, const std::string& from, const std::string& to)
{
    std::string out;
    std::size_t last = 0;
    for (const auto& t : detail::tokenize(expression, {.brackets = false})) {
        bool hit = (t.kind == TokenKind::word && detail::iequals(t.text, from)) ||
                   (t.kind == TokenKind::quoted_identifier && detail::unquote_identifier(t.text) == from);
        if (!hit)
            continue;
        out.append(expression, last, t.offset - last);
        out += detail::double_quoted(to);
        last = t.offset + t.text.size();
    }
    out.append(expression, last);
    return out;
}

void rename_in_list(std::vector<std::string>& v, const std::string& from, const std::string& to)
{
    std::replace(v.begin(), v.end(), from, to);
}

void check_unique_index_name(const Schema& s, const std::string& name)
{
    for (const auto& t : s.tables)
        if (t.find_index(name))
            misfit("create_index: an index named '" + name + "' already exists (on table '" + t.name + "')", t.name);
}

struct Applier {
    Schema& s;

    void operator()(const CreateTable& o)
    {
        if (s.find_table(o.table.name))
            misfit("create_table: table '" + o.table.name + "' already exists", o.table.name);
        for (const auto& ix : o.table.indexes)
            check_unique_index_name(s, ix.name);
        s.tables.push_back(o.table);
    }
    void operator()(const DropTable& o)
    {
        table_of(s, o.table, "drop_table");
        erase_where(s.tables, [&](const Table& t) { return t.name == o.table; });
        // The engine drops a table's triggers and policies (and a partitioned table's partitions) with it.
        erase_where(s.objects, [&](const SqlObject& x) { return lives_on_table(x.kind) && x.table == o.table; });
        erase_where(s.tables, [&](const Table& t) { return t.partition_of == o.table; });
    }
    void operator()(const RenameTable& o)
    {
        auto& t = table_of(s, o.from, "rename_table");
        if (s.find_table(o.to))
            misfit("rename_table: table '" + o.to + "' already exists", o.to);
        t.name = o.to;
        for (auto& other : s.tables)
            for (auto& fk : other.foreign_keys)
                if (fk.ref_table == o.from)
                    fk.ref_table = o.to;
        for (auto& x : s.objects)
            if (lives_on_table(x.kind) && x.table == o.from)
                x.table = o.to;
        for (auto& other : s.tables)
            if (other.partition_of == o.from)
                other.partition_of = o.to;
    }
    void operator()(const AddColumn& o)
    {
        auto& t = table_of(s, o.table, "add_column");
        if (t.find_column(o.column.name))
            misfit("add_column: table '" + o.table + "' already has a column '" + o.column.name + "'", o.table,
                   o.column.name);
        t.columns.push_back(o.column);
    }
    void operator()(const DropColumn& o)
    {
        auto& t = table_of(s, o.table, "drop_column");
        if (!t.find_column(o.column))
            misfit("drop_column: table '" + o.table + "' has no column '" + o.column + "'", o.table, o.column);
        erase_where(t.columns, [&](const Column& c) { return c.name == o.column; });
        // Indexes and constraints over the column go with it.
        erase_where(t.indexes, [&](const Index& ix) {
            return std::any_of(ix.elements.begin(), ix.elements.end(), [&](const IndexElement& e) {
                       return e.column == o.column || (!e.expression.empty() && mentions(e.expression, o.column));
                   }) ||
                   (!ix.where.empty() && mentions(ix.where, o.column));
        });
        erase_where(t.uniques, [&](const UniqueConstraint& u) { return contains(u.columns, o.column); });
        erase_where(t.foreign_keys, [&](const ForeignKey& fk) { return contains(fk.columns, o.column); });
        erase_where(t.checks, [&](const CheckConstraint& c) { return mentions(c.expression, o.column); });
        if (t.primary_key && contains(t.primary_key->columns, o.column))
            t.primary_key.reset();
    }
    void operator()(const RenameColumn& o)
    {
        auto& t = table_of(s, o.table, "rename_column");
        auto* c = t.find_column(o.from);
        if (!c)
            misfit("rename_column: table '" + o.table + "' has no column '" + o.from + "'", o.table, o.from);
        if (t.find_column(o.to))
            misfit("rename_column: table '" + o.table + "' already has a column '" + o.to + "'", o.table, o.to);
        c->name = o.to;
        if (t.primary_key)
            rename_in_list(t.primary_key->columns, o.from, o.to);
        for (auto& u : t.uniques)
            rename_in_list(u.columns, o.from, o.to);
        for (auto& fk : t.foreign_keys)
            rename_in_list(fk.columns, o.from, o.to);
        for (auto& ck : t.checks)
            ck.expression = rename_in_expression(ck.expression, o.from, o.to);
        for (auto& ix : t.indexes) {
            for (auto& e : ix.elements) {
                if (e.column == o.from)
                    e.column = o.to;
                if (!e.expression.empty())
                    e.expression = rename_in_expression(e.expression, o.from, o.to);
            }
            if (!ix.where.empty())
                ix.where = rename_in_expression(ix.where, o.from, o.to);
        }
        for (auto& other : s.tables)
            for (auto& fk : other.foreign_keys)
                if (fk.ref_table == o.table)
                    rename_in_list(fk.ref_columns, o.from, o.to);
    }
    void operator()(const AlterColumn& o)
    {
        auto& t = table_of(s, o.table, "alter_column");
        if (o.from.name != o.to.name)
            misfit("alter_column cannot rename '" + o.from.name + "' to '" + o.to.name + "'; use rename_column",
                   o.table, o.from.name);
        auto* c = t.find_column(o.from.name);
        if (!c)
            misfit("alter_column: table '" + o.table + "' has no column '" + o.from.name + "'", o.table, o.from.name);
        *c = o.to;
    }
    void operator()(const CreateIndex& o)
    {
        auto& t = table_of(s, o.table, "create_index");
        check_unique_index_name(s, o.index.name);
        t.indexes.push_back(o.index);
    }
    void operator()(const DropIndex& o)
    {
        auto& t = table_of(s, o.table, "drop_index");
        if (!erase_where(t.indexes, [&](const Index& ix) { return ix.name == o.name; }))
            misfit("drop_index: table '" + o.table + "' has no index '" + o.name + "'", o.table);
    }
    void operator()(const AddForeignKey& o) { table_of(s, o.table, "add_foreign_key").foreign_keys.push_back(o.foreign_key); }
    void operator()(const DropForeignKey& o)
    {
        auto& t = table_of(s, o.table, "drop_foreign_key");
        if (!erase_where(t.foreign_keys, [&](const ForeignKey& fk) { return fk.name == o.name; }))
            misfit("drop_foreign_key: table '" + o.table + "' has no foreign key '" + o.name + "'", o.table);
    }
    void operator()(const AddUnique& o)
    {
        auto& t = table_of(s, o.table, "add_unique");
        if (!o.using_index.empty() && !erase_where(t.indexes, [&](const Index& ix) { return ix.name == o.using_index; }))
            misfit("add_unique: table '" + o.table + "' has no index '" + o.using_index + "' to build the constraint from",
                   o.table);
        t.uniques.push_back(o.unique);
    }
    void operator()(const DropUnique& o)
    {
        auto& t = table_of(s, o.table, "drop_unique");
        if (!erase_where(t.uniques, [&](const UniqueConstraint& u) { return u.name == o.name; }))
            misfit("drop_unique: table '" + o.table + "' has no unique constraint '" + o.name + "'", o.table);
    }
    void operator()(const AddCheck& o) { table_of(s, o.table, "add_check").checks.push_back(o.check); }
    // Rows only: the schema stays (its table may come from raw SQL, which the model cannot see).
    void operator()(const Backfill&) {}
    void operator()(const ValidateConstraint& o)
    {
        const auto& t = table_of(s, o.table, "validate_constraint");
        const bool known = std::any_of(t.checks.begin(), t.checks.end(), [&](const auto& c) { return c.name == o.name; }) ||
                           std::any_of(t.foreign_keys.begin(), t.foreign_keys.end(), [&](const auto& f) { return f.name == o.name; });
        if (!known)
            misfit("validate_constraint: table '" + o.table + "' has no check or foreign key '" + o.name + "'", o.table);
    }
    void operator()(const DropCheck& o)
    {
        auto& t = table_of(s, o.table, "drop_check");
        if (!erase_where(t.checks, [&](const CheckConstraint& c) { return c.name == o.name; }))
            misfit("drop_check: table '" + o.table + "' has no check constraint '" + o.name + "'", o.table);
    }
    void operator()(const AddExclusion& o) { table_of(s, o.table, "add_exclusion").exclusions.push_back(o.exclusion); }
    void operator()(const DropExclusion& o)
    {
        auto& t = table_of(s, o.table, "drop_exclusion");
        if (!erase_where(t.exclusions, [&](const ExclusionConstraint& x) { return x.name == o.name; }))
            misfit("drop_exclusion: table '" + o.table + "' has no exclusion constraint '" + o.name + "'", o.table);
    }
    void operator()(const SetRowSecurity& o)
    {
        auto& t = table_of(s, o.table, "set_row_security");
        t.row_security = o.to != RowSecurity::off;
        t.force_row_security = o.to == RowSecurity::forced;
    }
    void operator()(const AttachPartition& o)
    {
        (void)table_of(s, o.parent, "attach_partition");
        auto& t = table_of(s, o.table, "attach_partition");
        if (!t.partition_of.empty())
            misfit("attach_partition: table '" + o.table + "' is a partition of '" + t.partition_of + "' already", o.table);
        t.partition_of = o.parent;
        t.partition_bound = o.bound;
    }
    void operator()(const DetachPartition& o)
    {
        auto& t = table_of(s, o.table, "detach_partition");
        if (t.partition_of != o.parent)
            misfit("detach_partition: table '" + o.table + "' is not a partition of '" + o.parent + "'", o.table);
        t.partition_of.clear();
        t.partition_bound.clear();
    }
    void operator()(const CreateObject& o)
    {
        // A trigger's or policy's name is unique on its table only.
        const bool exists = std::any_of(s.objects.begin(), s.objects.end(), [&](const SqlObject& x) {
            return x.kind == o.object.kind && x.name == o.object.name &&
                   (!lives_on_table(x.kind) || x.table == o.object.table);
        });
        if (exists)
            misfit(std::string("create_") + to_string(o.object.kind) + ": '" + o.object.name + "' already exists");
        s.objects.push_back(o.object);
    }
    void operator()(const DropObject& o)
    {
        const std::string* table = o.definition && lives_on_table(o.kind) ? &o.definition->table : nullptr;
        if (!erase_where(s.objects, [&](const SqlObject& x) {
                return x.kind == o.kind && x.name == o.name && (!table || x.table == *table);
            }))
            misfit(std::string("drop_") + to_string(o.kind) + ": there is no " + to_string(o.kind) + " '" + o.name + "'");
    }
    // Raw SQL and data code are opaque to the model.
    void operator()(const ExecuteSql&) {}
    void operator()(const DataCode&) {}
    void operator()(const NextPhase&) {}
};

}  // namespace

void apply(Schema& schema, const Op& op)
{
    std::visit(Applier{schema}, op);
}

}  // namespace strata
