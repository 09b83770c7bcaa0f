// compare(a, b): differences between two schemas, matched by name or by content.
#include "strata/compare.hpp"

#include "json_output.hpp"
#include "sql_tokenizer.hpp"
#include "text.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

namespace strata {

const char* to_string(DiffObject object) noexcept
{
    switch (object) {
    case DiffObject::table: return "table";
    case DiffObject::column: return "column";
    case DiffObject::primary_key: return "primary_key";
    case DiffObject::unique: return "unique";
    case DiffObject::foreign_key: return "foreign_key";
    case DiffObject::check: return "check";
    case DiffObject::index: return "index";
    case DiffObject::object: return "object";
    case DiffObject::exclusion: return "exclusion";
    }
    return "?";
}

const char* to_string(Difference::Kind kind) noexcept
{
    switch (kind) {
    case Difference::Kind::added: return "added";
    case Difference::Kind::removed: return "removed";
    case Difference::Kind::changed: return "changed";
    }
    return "?";
}

namespace {

using detail::normalize_expression;

std::string list(const std::vector<std::string>& v)
{
    return "(" + detail::join(v, ", ") + ")";
}

bool same_type(const Type& a, const Type& b)
{
    if (a.kind != b.kind)
        return false;
    if (a.kind == TypeKind::custom) {
        // Engines differ in case and spacing of a type's text: compare the tokens.
        return normalize_expression(a.name) == normalize_expression(b.name);
    }
    return a == b;
}

bool same_default(const std::optional<Default>& a, const std::optional<Default>& b)
{
    if (!a || !b)
        return !a && !b;
    if (a->kind != b->kind)
        return false;
    if (a->kind == Default::Kind::expression)
        return normalize_expression(a->sql) == normalize_expression(b->sql);
    if (a->kind == Default::Kind::literal) {
        // A number is a number: 0 and 0.0 are the same default.
        auto number = [](const Value& v) -> std::optional<double> {
            if (auto d = std::get_if<double>(&v))
                return *d;
            if (auto i = std::get_if<std::int64_t>(&v))
                return static_cast<double>(*i);
            return std::nullopt;
        };
        auto x = number(a->value);
        auto y = number(b->value);
        if (x && y)
            return *x == *y || std::abs(*x - *y) <= 1e-12 * std::max(std::abs(*x), std::abs(*y));
        return a->value == b->value;
    }
    return true;
}

std::string default_text(const std::optional<Default>& d)
{
    return d ? to_string(*d) : "none";
}

std::string element_text(const IndexElement& e)
{
    std::string out = e.expression.empty() ? e.column : "(" + normalize_expression(e.expression) + ")";
    if (!e.collation.empty())
        out += " COLLATE " + e.collation;
    if (!e.opclass.empty())
        out += " " + e.opclass;
    if (e.descending)
        out += " DESC";
    if (e.nulls != NullsOrder::natural)
        out += e.nulls == NullsOrder::first ? " NULLS FIRST" : " NULLS LAST";
    return out;
}

std::string elements_text(const Index& ix)
{
    std::vector<std::string> parts;
    for (const auto& e : ix.elements)
        parts.push_back(element_text(e));
    return list(parts);
}

std::string fk_target(const ForeignKey& fk)
{
    return list(fk.columns) + " -> " + (fk.ref_schema.empty() ? "" : fk.ref_schema + ".") + fk.ref_table +
           list(fk.ref_columns);
}

std::string fk_actions(const ForeignKey& fk)
{
    std::string out = std::string(fk.match_full ? "MATCH FULL " : "") + "ON DELETE " + to_sql(fk.on_delete) +
                      " ON UPDATE " + to_sql(fk.on_update);
    if (fk.deferrable)
        out += fk.initially_deferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE";
    return out;
}

class Comparer {
public:
    Comparer(const CompareOptions& o) : options_(o) {}

    std::vector<Difference> run(const Schema& a, const Schema& b)
    {
        auto tables_a = index_tables(a);
        auto tables_b = index_tables(b);
        for (const auto& [name, ta] : tables_a) {
            auto it = tables_b.find(name);
            if (it == tables_b.end())
                add(Difference::Kind::removed, DiffObject::table, name, name);
            else
                compare_tables(*ta, *it->second);
        }
        for (const auto& [name, tb] : tables_b)
            if (!tables_a.count(name))
                add(Difference::Kind::added, DiffObject::table, name, name);
        compare_objects(a, b);
        std::stable_sort(out_.begin(), out_.end(), [](const Difference& x, const Difference& y) {
            return std::tie(x.table, x.object, x.name, x.field) < std::tie(y.table, y.object, y.name, y.field);
        });
        return std::move(out_);
    }

private:
    std::map<std::string, const Table*> index_tables(const Schema& s) const
    {
        std::map<std::string, const Table*> out;
        for (const auto& t : s.tables) {
            if (t.name == "strata_version" ||
                std::find(options_.exclude_tables.begin(), options_.exclude_tables.end(), t.name) !=
                    options_.exclude_tables.end())
                continue;
            out.emplace(t.name, &t);
        }
        return out;
    }

    void add(Difference::Kind kind, DiffObject object, std::string table, std::string name, std::string field = {},
             std::string old_value = {}, std::string new_value = {})
    {
        out_.push_back(Difference{kind, object, std::move(table), std::move(name), std::move(field),
                                  std::move(old_value), std::move(new_value)});
    }

    void changed(DiffObject object, const std::string& table, const std::string& name, std::string field,
                 std::string a, std::string b)
    {
        add(Difference::Kind::changed, object, table, name, std::move(field), std::move(a), std::move(b));
    }

    void compare_tables(const Table& a, const Table& b)
    {
        if (a == b)
            return;  // the common case, and every check below is a relaxation of equality
        const auto& t = a.name;
        for (const auto& ca : a.columns) {
            const auto* cb = b.find_column(ca.name);
            if (!cb) {
                add(Difference::Kind::removed, DiffObject::column, t, ca.name);
                continue;
            }
            compare_columns(t, ca, *cb);
        }
        for (const auto& cb : b.columns)
            if (!a.find_column(cb.name))
                add(Difference::Kind::added, DiffObject::column, t, cb.name);

        compare_primary_keys(a, b);
        compare_uniques(a, b);
        compare_foreign_keys(a, b);
        compare_checks(a, b);
        compare_indexes(a, b);
        if (options_.comments && a.comment != b.comment)
            changed(DiffObject::table, t, t, "comment", a.comment, b.comment);
        if (a.without_rowid != b.without_rowid)
            changed(DiffObject::table, t, t, "without_rowid", a.without_rowid ? "yes" : "no", b.without_rowid ? "yes" : "no");
        if (a.strict != b.strict)
            changed(DiffObject::table, t, t, "strict", a.strict ? "yes" : "no", b.strict ? "yes" : "no");
        compare_exclusions(a, b);
        if (a.partition_by != b.partition_by)
            changed(DiffObject::table, t, t, "partition_by", or_none(a.partition_by), or_none(b.partition_by));
        if (a.partition_of != b.partition_of || a.partition_bound != b.partition_bound)
            changed(DiffObject::table, t, t, "partition_of", or_none(a.partition_of + " " + a.partition_bound),
                    or_none(b.partition_of + " " + b.partition_bound));
        auto rls = [](const Table& x) { return x.force_row_security ? "forced" : x.row_security ? "enabled" : "off"; };
        if (std::string(rls(a)) != rls(b))
            changed(DiffObject::table, t, t, "row_security", rls(a), rls(b));
    }

    static std::string or_none(const std::string& s)
    {
        return detail::trim(s).empty() ? "none" : std::string(detail::trim(s));
    }

    void compare_exclusions(const Table& a, const Table& b)
    {
        const auto& t = a.name;
        auto name = [](const ExclusionConstraint& x) { return x.name; };
        match(a.exclusions, b.exclusions, DiffObject::exclusion, t, name, name,
              [&](const ExclusionConstraint& x, const ExclusionConstraint& y) {
                  if (normalize_expression(x.definition) != normalize_expression(y.definition))
                      changed(DiffObject::exclusion, t, x.name, "definition", x.definition, y.definition);
                  compare_comment(DiffObject::exclusion, t, x.name, x.comment, y.comment);
              });
    }

    void compare_columns(const std::string& t, const Column& a, const Column& b)
    {
        auto d = DiffObject::column;
        if (!same_type(a.type, b.type))
            changed(d, t, a.name, "type", to_string(a.type), to_string(b.type));
        if (a.nullable != b.nullable)
            changed(d, t, a.name, "nullable", a.nullable ? "NULL" : "NOT NULL", b.nullable ? "NULL" : "NOT NULL");
        if (!same_default(a.default_value, b.default_value))
            changed(d, t, a.name, "default", default_text(a.default_value), default_text(b.default_value));
        if (a.autoincrement != b.autoincrement)
            changed(d, t, a.name, "autoincrement", a.autoincrement ? "yes" : "no", b.autoincrement ? "yes" : "no");
        else if (a.autoincrement && a.autoincrement_style != b.autoincrement_style)
            changed(d, t, a.name, "autoincrement", to_string(a.autoincrement_style), to_string(b.autoincrement_style));
        if (!detail::iequals(a.collation, b.collation))
            changed(d, t, a.name, "collation", a.collation.empty() ? "default" : a.collation,
                    b.collation.empty() ? "default" : b.collation);
        auto gen = [](const Column& c) {
            return c.generated ? normalize_expression(c.generated->expression) + (c.generated->stored ? " STORED" : " VIRTUAL")
                               : std::string("none");
        };
        if (gen(a) != gen(b))
            changed(d, t, a.name, "generated", gen(a), gen(b));
        if (options_.comments && a.comment != b.comment)
            changed(d, t, a.name, "comment", a.comment, b.comment);
        if (a.identity_options != b.identity_options)
            changed(d, t, a.name, "identity", or_default(a.identity_options), or_default(b.identity_options));
    }

    static std::string or_default(const std::string& s) { return s.empty() ? "default" : s; }

    // A comment on a key, constraint or index (PostgreSQL).
    void compare_comment(DiffObject object, const std::string& table, const std::string& name, const std::string& a,
                         const std::string& b)
    {
        if (options_.comments && a != b)
            changed(object, table, name, "comment", a.empty() ? "none" : a, b.empty() ? "none" : b);
    }

    void compare_primary_keys(const Table& a, const Table& b)
    {
        const auto& t = a.name;
        bool has_a = a.primary_key && !a.primary_key->columns.empty();
        bool has_b = b.primary_key && !b.primary_key->columns.empty();
        if (!has_a && !has_b)
            return;
        if (!has_b) {
            add(Difference::Kind::removed, DiffObject::primary_key, t, a.primary_key->name);
            return;
        }
        if (!has_a) {
            add(Difference::Kind::added, DiffObject::primary_key, t, b.primary_key->name);
            return;
        }
        if (a.primary_key->columns != b.primary_key->columns)
            changed(DiffObject::primary_key, t, b.primary_key->name, "columns", list(a.primary_key->columns),
                    list(b.primary_key->columns));
        if (!a.primary_key->name.empty() && !b.primary_key->name.empty() && a.primary_key->name != b.primary_key->name)
            changed(DiffObject::primary_key, t, b.primary_key->name, "name", a.primary_key->name, b.primary_key->name);
        compare_comment(DiffObject::primary_key, t, b.primary_key->name, a.primary_key->comment, b.primary_key->comment);
    }

    // Matches two lists by a key; reports removed/added, and calls `both` on pairs.
    template <class T, class Key, class Name, class Both>
    void match(const std::vector<T>& a, const std::vector<T>& b, DiffObject object, const std::string& table, Key key,
               Name name, Both both)
    {
        std::multimap<std::string, const T*> in_b;
        for (const auto& x : b)
            in_b.emplace(key(x), &x);
        std::set<const T*> used;
        for (const auto& x : a) {
            auto it = in_b.find(key(x));
            if (it == in_b.end()) {
                add(Difference::Kind::removed, object, table, name(x));
                continue;
            }
            used.insert(it->second);
            both(x, *it->second);
            in_b.erase(it);
        }
        for (const auto& x : b)
            if (!used.count(&x))
                add(Difference::Kind::added, object, table, name(x));
    }

    void compare_uniques(const Table& a, const Table& b)
    {
        const auto& t = a.name;
        match(a.uniques, b.uniques, DiffObject::unique, t,
              [](const UniqueConstraint& u) { return list(u.columns); },
              [](const UniqueConstraint& u) { return u.name.empty() ? list(u.columns) : u.name; },
              [&](const UniqueConstraint& x, const UniqueConstraint& y) {
                  if (!x.name.empty() && !y.name.empty() && x.name != y.name)
                      changed(DiffObject::unique, t, y.name, "name", x.name, y.name);
                  auto deferral = [](const UniqueConstraint& u) {
                      return u.deferrable ? u.initially_deferred ? "DEFERRABLE INITIALLY DEFERRED" : "DEFERRABLE"
                                          : "NOT DEFERRABLE";
                  };
                  if (std::string(deferral(x)) != deferral(y))
                      changed(DiffObject::unique, t, y.name, "deferrable", deferral(x), deferral(y));
                  compare_comment(DiffObject::unique, t, y.name, x.comment, y.comment);
              });
    }

    void compare_foreign_keys(const Table& a, const Table& b)
    {
        const auto& t = a.name;
        match(a.foreign_keys, b.foreign_keys, DiffObject::foreign_key, t, fk_target,
              [](const ForeignKey& fk) { return fk.name.empty() ? fk_target(fk) : fk.name; },
              [&](const ForeignKey& x, const ForeignKey& y) {
                  auto label = y.name.empty() ? fk_target(y) : y.name;
                  if (fk_actions(x) != fk_actions(y))
                      changed(DiffObject::foreign_key, t, label, "actions", fk_actions(x), fk_actions(y));
                  if (!x.name.empty() && !y.name.empty() && x.name != y.name)
                      changed(DiffObject::foreign_key, t, label, "name", x.name, y.name);
                  compare_comment(DiffObject::foreign_key, t, label, x.comment, y.comment);
              });
    }

    void compare_checks(const Table& a, const Table& b)
    {
        const auto& t = a.name;
        // By name where both sides have names, then by expression.
        std::vector<CheckConstraint> rest_a, rest_b;
        std::map<std::string, const CheckConstraint*> named_b;
        for (const auto& c : b.checks)
            if (!c.name.empty())
                named_b.emplace(c.name, &c);
        std::set<std::string> matched;
        for (const auto& c : a.checks) {
            auto it = c.name.empty() ? named_b.end() : named_b.find(c.name);
            if (it == named_b.end()) {
                rest_a.push_back(c);
                continue;
            }
            matched.insert(c.name);
            if (normalize_expression(c.expression) != normalize_expression(it->second->expression))
                changed(DiffObject::check, t, c.name, "expression", c.expression, it->second->expression);
            compare_comment(DiffObject::check, t, c.name, c.comment, it->second->comment);
        }
        for (const auto& c : b.checks)
            if (c.name.empty() || !matched.count(c.name))
                rest_b.push_back(c);
        match(rest_a, rest_b, DiffObject::check, t,
              [](const CheckConstraint& c) { return normalize_expression(c.expression); },
              [](const CheckConstraint& c) { return c.name.empty() ? c.expression : c.name; },
              [](const CheckConstraint&, const CheckConstraint&) {});
    }

    void compare_indexes(const Table& a, const Table& b)
    {
        const auto& t = a.name;
        match(a.indexes, b.indexes, DiffObject::index, t, [](const Index& ix) { return ix.name; },
              [](const Index& ix) { return ix.name; },
              [&](const Index& x, const Index& y) {
                  if (elements_text(x) != elements_text(y))
                      changed(DiffObject::index, t, x.name, "columns", elements_text(x), elements_text(y));
                  if (x.unique != y.unique)
                      changed(DiffObject::index, t, x.name, "unique", x.unique ? "yes" : "no", y.unique ? "yes" : "no");
                  if (normalize_expression(x.where) != normalize_expression(y.where))
                      changed(DiffObject::index, t, x.name, "where", x.where.empty() ? "none" : x.where,
                              y.where.empty() ? "none" : y.where);
                  if (!detail::iequals(x.method, y.method))
                      changed(DiffObject::index, t, x.name, "method", x.method.empty() ? "btree" : x.method,
                              y.method.empty() ? "btree" : y.method);
                  if (x.include != y.include)
                      changed(DiffObject::index, t, x.name, "include", list(x.include), list(y.include));
                  if (x.options != y.options)
                      changed(DiffObject::index, t, x.name, "options", or_default(x.options), or_default(y.options));
                  compare_comment(DiffObject::index, t, x.name, x.comment, y.comment);
              });
    }

    // A trigger's or policy's name is unique only on its table.
    static std::string object_label(const SqlObject& o)
    {
        // A function is named with its arguments: overloads share a name.
        if (o.kind == ObjectKind::function && !o.definition.empty())
            if (auto arguments = detail::function_arguments(o.definition.begin()->second))
                return "function " + o.name + *arguments;
        bool per_table = o.kind == ObjectKind::trigger || o.kind == ObjectKind::policy;
        return std::string(to_string(o.kind)) + " " + o.name + (per_table && !o.table.empty() ? " on " + o.table : "");
    }

    void compare_objects(const Schema& a, const Schema& b)
    {
        match(a.objects, b.objects, DiffObject::object, "", object_label, object_label,
              [&](const SqlObject& x, const SqlObject& y) {
                  auto label = object_label(x);
                  if (x.kind == ObjectKind::enum_type && x.values != y.values)
                      changed(DiffObject::object, "", label, "labels", list(x.values), list(y.values));
                  if (!x.table.empty() && x.table != y.table)
                      changed(DiffObject::object, "", label, "table", x.table, y.table);
                  if (options_.comments && x.comment != y.comment)
                      changed(DiffObject::object, "", label, "comment", x.comment, y.comment);
                  if (!options_.object_definitions)
                      return;
                  for (const auto& [dialect, sql] : x.definition) {
                      auto it = y.definition.find(dialect);
                      if (it != y.definition.end() && normalize_expression(sql) != normalize_expression(it->second))
                          changed(DiffObject::object, "", label, "definition", sql, it->second);
                  }
              });
    }

    const CompareOptions& options_;
    std::vector<Difference> out_;
};

}  // namespace

std::vector<Difference> compare(const Schema& a, const Schema& b, const CompareOptions& options)
{
    return Comparer(options).run(a, b);
}

std::string to_text(const Difference& d, std::string_view a_label, std::string_view b_label)
{
    std::string where;
    if (d.object == DiffObject::table)
        where = "table " + d.table;
    else if (d.object == DiffObject::object)
        where = d.name;
    else {
        std::string what = d.object == DiffObject::primary_key ? "primary key"
                           : d.object == DiffObject::foreign_key ? "foreign key"
                                                                 : to_string(d.object);
        where = "table " + d.table + ": " + what + " " + d.name;
    }
    switch (d.kind) {
    case Difference::Kind::added: return where + ": only in " + std::string(b_label);
    case Difference::Kind::removed: return where + ": only in " + std::string(a_label);
    case Difference::Kind::changed:
        return where + ": " + d.field + " " + d.old_value + " in " + std::string(a_label) + ", " + d.new_value + " in " +
               std::string(b_label);
    }
    return where;
}

std::string to_json(const std::vector<Difference>& differences)
{
    return detail::dump_json(detail::differences_json(differences));
}

}  // namespace strata
