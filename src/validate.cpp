// Model validation: the portable rules every dialect shares.
#include "strata/validate.hpp"

#include "literal.hpp"
#include "strata/dialect.hpp"
#include "strata/errors.hpp"
#include "text.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace strata {

namespace {

class Checker {
public:
    Checker(const Schema& schema, const std::vector<const Schema*>& others) : s_(schema), others_(others) {}

    std::vector<std::string> run()
    {
        std::set<std::string> tables;
        std::map<std::string, std::string> index_owner;
        for (const auto& t : s_.tables) {
            if (t.name.empty()) {
                problem("a table has an empty name: give every table a name");
                continue;
            }
            if (!tables.insert(t.name).second)
                problem("table '" + t.name + "' is declared twice: remove one declaration or rename it");
            check_table(t, index_owner);
        }
        check_objects();
        return std::move(problems_);
    }

private:
    void problem(std::string text) { problems_.push_back(std::move(text)); }

    static std::string where(const Table& t) { return "table '" + t.name + "'"; }
    static std::string where(const Table& t, const std::string& column)
    {
        return "table '" + t.name + "': column '" + column + "'";
    }

    void check_columns_exist(const Table& t, const std::vector<std::string>& columns, const std::string& what)
    {
        if (columns.empty())
            problem(where(t) + ": " + what + " lists no columns: name at least one");
        for (const auto& c : columns)
            if (!t.find_column(c))
                problem(where(t) + ": " + what + " names column '" + c +
                        "', which the table does not have: declare the column or fix the name");
    }

    void check_table(const Table& t, std::map<std::string, std::string>& index_owner)
    {
        if (t.columns.empty())
            problem(where(t) + " has no columns: declare at least one");
        std::set<std::string> names;
        for (const auto& c : t.columns) {
            if (c.name.empty())
                problem(where(t) + ": a column has an empty name: give it a name");
            else if (!names.insert(c.name).second)
                problem(where(t, c.name) + " is declared twice: remove one or rename it");
            check_column(t, c);
        }
        std::set<std::string> constraint_names;
        auto constraint_name = [&](const std::string& kind, const std::string& name) {
            if (name.empty())
                problem(where(t) + ": a " + kind + " has an empty name: name it or let strata name it");
            else if (!constraint_names.insert(name).second)
                problem(where(t) + ": constraint name '" + name + "' is used twice: rename one");
        };
        if (t.primary_key) {
            constraint_name("primary key", t.primary_key->name);
            check_columns_exist(t, t.primary_key->columns, "primary key '" + t.primary_key->name + "'");
            std::set<std::string> seen;
            for (const auto& c : t.primary_key->columns)
                if (!seen.insert(c).second)
                    problem(where(t) + ": primary key lists column '" + c + "' twice: list it once");
        }
        if (t.without_rowid && !t.primary_key)
            problem(where(t) + " is WITHOUT ROWID but has no primary key: declare one");
        for (const auto& u : t.uniques) {
            constraint_name("unique constraint", u.name);
            check_columns_exist(t, u.columns, "unique constraint '" + u.name + "'");
        }
        for (const auto& fk : t.foreign_keys) {
            constraint_name("foreign key", fk.name);
            check_foreign_key(t, fk);
        }
        for (const auto& ck : t.checks) {
            constraint_name("check constraint", ck.name);
            if (detail::trim(ck.expression).empty())
                problem(where(t) + ": check constraint '" + ck.name + "' has no expression: write one");
        }
        for (const auto& ix : t.indexes)
            check_index(t, ix, index_owner);
        for (const auto& name : constraint_names) {
            // PostgreSQL keeps key and unique constraints as indexes: one namespace.
            auto it = index_owner.find(name);
            if (it != index_owner.end() && t.find_index(name) == nullptr)
                problem(where(t) + ": constraint '" + name + "' has the same name as an index on table '" +
                        it->second + "': rename one");
        }
    }

    void check_column(const Table& t, const Column& c)
    {
        const auto& type = c.type;
        if (type.kind == TypeKind::varchar && type.length < 0)
            problem(where(t, c.name) + ": varchar length " + std::to_string(type.length) + " is negative");
        if (type.kind == TypeKind::numeric && (type.scale < 0 || type.scale > type.precision) && type.precision != 0)
            problem(where(t, c.name) + ": numeric(" + std::to_string(type.precision) + "," +
                    std::to_string(type.scale) + ") has a scale outside 0.." + std::to_string(type.precision));
        if (type.kind == TypeKind::enum_) {
            const auto* e = s_.find_object(ObjectKind::enum_type, type.name);
            if (!e)
                problem(where(t, c.name) + ": enum type '" + type.name +
                        "' is not declared: add schema.native_enum(\"" + type.name + "\", {...})");
        }
        if (type.kind == TypeKind::custom && detail::trim(type.name).empty())
            problem(where(t, c.name) + ": custom type has no text: give the type's SQL");
        if (c.autoincrement) {
            bool sole_key = t.primary_key && t.primary_key->columns.size() == 1 && t.primary_key->columns[0] == c.name;
            if (!type.is_integer() || !sole_key)
                problem(where(t, c.name) +
                        ": autoincrement needs an integer column that is the table's only primary-key column: "
                        "make it the primary key or drop autoincrement()");
            if (c.default_value)
                problem(where(t, c.name) + ": an autoincrement column cannot have a default: drop one of them");
            if (t.without_rowid)
                problem(where(t, c.name) + ": autoincrement is not possible in a WITHOUT ROWID table");
        }
        if (c.generated && c.default_value)
            problem(where(t, c.name) + ": a generated column cannot have a default: drop one of them");
        if (c.generated && c.autoincrement)
            problem(where(t, c.name) + ": a generated column cannot be autoincrement");
        if (c.default_value)
            check_default(t, c);
    }

    void check_default(const Table& t, const Column& c)
    {
        const auto& d = *c.default_value;
        const auto k = c.type.kind;
        switch (d.kind) {
        case Default::Kind::literal: {
            auto value = detail::coerce_literal(d.value, c.type);
            if (auto why = detail::literal_misfit(value, c.type))
                problem(where(t, c.name) + ": " + *why + ": give a value of the column's type or change the type");
            if (k == TypeKind::enum_)
                if (const auto* e = s_.find_object(ObjectKind::enum_type, c.type.name))
                    if (auto s = std::get_if<std::string>(&value);
                        s && std::find(e->values.begin(), e->values.end(), *s) == e->values.end())
                        problem(where(t, c.name) + ": default '" + *s + "' is not a label of enum '" + c.type.name +
                                "': use one of its labels");
            break;
        }
        case Default::Kind::now:
            if (k != TypeKind::timestamp && k != TypeKind::timestamptz && k != TypeKind::custom)
                problem(where(t, c.name) + ": default_now() needs a timestamp column, not " + to_string(c.type) +
                        ": change the type or the default");
            break;
        case Default::Kind::current_date:
            if (k != TypeKind::date && k != TypeKind::timestamp && k != TypeKind::timestamptz && k != TypeKind::custom)
                problem(where(t, c.name) + ": default_current_date() needs a date column, not " +
                        to_string(c.type) + ": change the type or the default");
            break;
        case Default::Kind::expression:
            if (detail::trim(d.sql).empty())
                problem(where(t, c.name) + ": default_sql() has an empty expression");
            break;
        }
    }

    static bool compatible(const Type& a, const Type& b)
    {
        auto text = [](const Type& x) { return x.kind == TypeKind::text || x.kind == TypeKind::varchar; };
        if (text(a) && text(b))
            return true;
        if (a.kind != b.kind)
            return false;
        if (a.kind == TypeKind::numeric)
            return a.precision == b.precision && a.scale == b.scale;
        if (a.kind == TypeKind::enum_ || a.kind == TypeKind::custom)
            return detail::iequals(a.name, b.name);
        return true;
    }

    static bool is_key_of(const Table& ref, const std::vector<std::string>& columns)
    {
        auto same = [&](const std::vector<std::string>& key) {
            return std::set<std::string>(key.begin(), key.end()) == std::set<std::string>(columns.begin(), columns.end()) &&
                   key.size() == columns.size();
        };
        if (ref.primary_key && same(ref.primary_key->columns))
            return true;
        for (const auto& u : ref.uniques)
            if (same(u.columns))
                return true;
        for (const auto& ix : ref.indexes) {
            if (!ix.unique || !ix.where.empty())
                continue;
            std::vector<std::string> cols;
            for (const auto& e : ix.elements)
                if (e.expression.empty())
                    cols.push_back(e.column);
            if (cols.size() == ix.elements.size() && same(cols))
                return true;
        }
        return false;
    }

    void check_foreign_key(const Table& t, const ForeignKey& fk)
    {
        const std::string what = "foreign key '" + fk.name + "'";
        check_columns_exist(t, fk.columns, what);
        const Table* ref = s_.find_table(fk.ref_table);
        if (!ref) {
            for (const auto* other : others_) {
                if (other && other != &s_ && other->find_table(fk.ref_table)) {
                    problem(where(t) + ": " + what + " references table '" + fk.ref_table + "' of bind '" +
                            other->bind() + "'; a foreign key cannot cross databases: drop the key or move table '" +
                            t.name + "' to bind '" + other->bind() + "'");
                    return;
                }
            }
            problem(where(t) + ": " + what + " references table '" + fk.ref_table +
                    "', which this bind does not declare: declare it or fix the name");
            return;
        }
        auto ref_columns = fk.ref_columns;
        if (ref_columns.empty() && ref->primary_key)
            ref_columns = ref->primary_key->columns;
        if (ref_columns.size() != fk.columns.size()) {
            problem(where(t) + ": " + what + " has " + std::to_string(fk.columns.size()) + " column(s) but references " +
                    std::to_string(ref_columns.size()) + ": list as many on both sides");
            return;
        }
        bool all_known = true;
        for (const auto& rc : ref_columns)
            if (!ref->find_column(rc)) {
                all_known = false;
                problem(where(t) + ": " + what + " references column '" + rc + "' of table '" + ref->name +
                        "', which does not exist: fix the name");
            }
        if (!all_known)
            return;
        if (!is_key_of(*ref, ref_columns))
            problem(where(t) + ": " + what + " references (" + detail::join(ref_columns, ", ") + ") of table '" +
                    ref->name + "', which is neither its primary key nor unique: reference the key or make those columns unique");
        for (std::size_t i = 0; i < fk.columns.size(); ++i) {
            const auto* c = t.find_column(fk.columns[i]);
            const auto* rc = ref->find_column(ref_columns[i]);
            if (c && rc && !compatible(c->type, rc->type))
                problem(where(t, c->name) + ": " + what + " pairs type " + to_string(c->type) + " with " +
                        to_string(rc->type) + " of " + ref->name + "." + rc->name +
                        ": give both columns the same type");
            if (c && (fk.on_delete == FkAction::set_null || fk.on_update == FkAction::set_null) && !c->nullable)
                problem(where(t, c->name) + ": " + what + " sets NULL on delete or update but the column is NOT NULL: "
                        "make it nullable or choose another action");
        }
    }

    void check_index(const Table& t, const Index& ix, std::map<std::string, std::string>& index_owner)
    {
        if (ix.name.empty()) {
            problem(where(t) + ": an index has an empty name: name it");
            return;
        }
        auto [it, inserted] = index_owner.emplace(ix.name, t.name);
        if (!inserted)
            problem(where(t) + ": index name '" + ix.name + "' is already used on table '" + it->second +
                    "'; index names are shared by the whole database: rename one");
        if (ix.elements.empty())
            problem(where(t) + ": index '" + ix.name + "' has no columns: name at least one");
        for (const auto& e : ix.elements) {
            if (e.column.empty() == e.expression.empty())
                problem(where(t) + ": index '" + ix.name + "' has an element that is neither a column nor an expression");
            else if (!e.column.empty() && !t.find_column(e.column))
                problem(where(t) + ": index '" + ix.name + "' names column '" + e.column +
                        "', which the table does not have: declare the column or fix the name");
        }
    }

    void check_objects()
    {
        std::set<std::tuple<ObjectKind, std::string, std::string>> seen;  // a trigger's name is its table's
        for (const auto& o : s_.objects) {
            std::string what = std::string(to_string(o.kind)) + " '" + o.name + "'";
            if (o.name.empty())
                problem(std::string("a ") + to_string(o.kind) + " has an empty name: name it");
            if (!seen.insert({o.kind, o.name, lives_on_table(o.kind) ? o.table : std::string()}).second)
                problem(what + " is declared twice: remove one");
            if (o.kind == ObjectKind::enum_type) {
                if (o.values.empty())
                    problem(what + " has no labels: list them");
                std::set<std::string> labels;
                for (const auto& v : o.values)
                    if (!labels.insert(v).second)
                        problem(what + " lists label '" + v + "' twice");
            }
            if (o.kind != ObjectKind::enum_type && o.kind != ObjectKind::extension && o.definition.empty())
                problem(what + " has no SQL: give it for every dialect or per dialect");
            if (lives_on_table(o.kind) && o.kind != ObjectKind::index && !s_.find_table(o.table))
                problem(what + " is on table '" + o.table + "', which this bind does not declare");
        }
    }

    const Schema& s_;
    const std::vector<const Schema*>& others_;
    std::vector<std::string> problems_;
};

}  // namespace

std::vector<std::string> model_problems(const Schema& schema, const Dialect* dialect,
                                        const std::vector<const Schema*>& other_binds)
{
    auto problems = Checker(schema, other_binds).run();
    if (dialect)
        for (auto& p : dialect->check_model(schema))
            problems.push_back(std::move(p));
    return problems;
}

void validate(const Schema& schema, const Dialect* dialect, const std::vector<const Schema*>& other_binds)
{
    auto problems = model_problems(schema, dialect, other_binds);
    if (problems.empty())
        return;
    std::string bind = schema.bind().empty() ? "" : " of bind '" + schema.bind() + "'";
    std::string message = "the models" + bind + " are invalid (" + std::to_string(problems.size()) + " problem" +
                          (problems.size() == 1 ? "" : "s") + "):";
    for (const auto& p : problems)
        message += "\n  - " + p;
    ErrorContext context;
    context.bind = schema.bind();
    throw ModelError(message, std::move(context));
}

}  // namespace strata
