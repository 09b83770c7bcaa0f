// The equivalence rules of schema objects (see equivalence.hpp).
#include "equivalence.hpp"

#include "sql_tokenizer.hpp"
#include "text.hpp"

#include <algorithm>
#include <cmath>

namespace strata::detail {

namespace {

bool same_type(const Type& a, const Type& b)
{
    if (a.kind != b.kind)
        return false;
    if (a.kind == TypeKind::custom)  // engines differ in case and spacing of a type's text
        return normalize_expression(a.name) == normalize_expression(b.name);
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
    return parenthesised(parts);
}

std::string foreign_key_actions(const ForeignKey& fk)
{
    std::string out = std::string(fk.match_full ? "MATCH FULL " : "") + "ON DELETE " + to_sql(fk.on_delete) +
                      " ON UPDATE " + to_sql(fk.on_update);
    if (fk.deferrable)
        out += fk.initially_deferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE";
    return out;
}

std::string yes_no(bool b)
{
    return b ? "yes" : "no";
}

std::string or_word(const std::string& s, const char* word)
{
    return s.empty() ? word : s;
}

// Collects the fields that differ.
class Changes {
public:
    explicit Changes(const Equivalence& e) : e_(e) {}
    void field(bool differs, std::string name, std::string a, std::string b)
    {
        if (differs)
            out_.push_back({std::move(name), std::move(a), std::move(b)});
    }
    // Keys, constraints and indexes say "none" for no comment; columns show the text as it is.
    void comment(const std::string& a, const std::string& b, bool say_none = true)
    {
        field(e_.comments && a != b, "comment", say_none ? or_word(a, "none") : a, say_none ? or_word(b, "none") : b);
    }
    // Names are compared only when both sides have one (a model may leave it to the engine).
    void name(const std::string& a, const std::string& b)
    {
        field(!a.empty() && !b.empty() && a != b, "name", a, b);
    }
    FieldChanges done() { return std::move(out_); }

private:
    const Equivalence& e_;
    FieldChanges out_;
};

}  // namespace

std::string parenthesised(const std::vector<std::string>& v)
{
    return "(" + join(v, ", ") + ")";
}

FieldChanges column_changes(const Column& a, const Column& b, const Equivalence& e)
{
    Changes c(e);
    c.field(!same_type(a.type, b.type), "type", to_string(a.type), to_string(b.type));
    c.field(a.nullable != b.nullable, "nullable", a.nullable ? "NULL" : "NOT NULL", b.nullable ? "NULL" : "NOT NULL");
    c.field(!same_default(a.default_value, b.default_value), "default", default_text(a.default_value),
            default_text(b.default_value));
    if (a.autoincrement != b.autoincrement)
        c.field(true, "autoincrement", yes_no(a.autoincrement), yes_no(b.autoincrement));
    else if (a.autoincrement)
        c.field(a.autoincrement_style != b.autoincrement_style, "autoincrement", to_string(a.autoincrement_style),
                to_string(b.autoincrement_style));
    c.field(!iequals(a.collation, b.collation), "collation", or_word(a.collation, "default"), or_word(b.collation, "default"));
    auto generated = [](const Column& x) {
        return x.generated ? normalize_expression(x.generated->expression) + (x.generated->stored ? " STORED" : " VIRTUAL")
                           : std::string("none");
    };
    c.field(generated(a) != generated(b), "generated", generated(a), generated(b));
    c.comment(a.comment, b.comment, false);
    c.field(a.identity_options != b.identity_options, "identity", or_word(a.identity_options, "default"),
            or_word(b.identity_options, "default"));
    return c.done();
}

FieldChanges primary_key_changes(const PrimaryKey& a, const PrimaryKey& b, const Equivalence& e)
{
    Changes c(e);
    c.field(a.columns != b.columns, "columns", parenthesised(a.columns), parenthesised(b.columns));
    c.name(a.name, b.name);
    c.comment(a.comment, b.comment);
    return c.done();
}

FieldChanges unique_changes(const UniqueConstraint& a, const UniqueConstraint& b, const Equivalence& e)
{
    auto deferral = [](const UniqueConstraint& u) {
        return std::string(u.deferrable ? u.initially_deferred ? "DEFERRABLE INITIALLY DEFERRED" : "DEFERRABLE"
                                        : "NOT DEFERRABLE");
    };
    Changes c(e);
    c.field(a.columns != b.columns, "columns", parenthesised(a.columns), parenthesised(b.columns));
    c.name(a.name, b.name);
    c.field(deferral(a) != deferral(b), "deferrable", deferral(a), deferral(b));
    c.comment(a.comment, b.comment);
    return c.done();
}

FieldChanges foreign_key_changes(const ForeignKey& a, const ForeignKey& b, const Equivalence& e)
{
    Changes c(e);
    c.field(foreign_key_key(a) != foreign_key_key(b), "target", foreign_key_key(a), foreign_key_key(b));
    c.field(foreign_key_actions(a) != foreign_key_actions(b), "actions", foreign_key_actions(a), foreign_key_actions(b));
    c.name(a.name, b.name);
    c.comment(a.comment, b.comment);
    return c.done();
}

FieldChanges check_changes(const CheckConstraint& a, const CheckConstraint& b, const Equivalence& e)
{
    Changes c(e);
    c.field(check_key(a) != check_key(b), "expression", a.expression, b.expression);
    c.comment(a.comment, b.comment);
    return c.done();
}

bool same_check(const CheckConstraint& a, const CheckConstraint& b, const Equivalence& e)
{
    return (a.name.empty() || b.name.empty() || a.name == b.name) && check_changes(a, b, e).empty();
}

FieldChanges index_changes(const Index& a, const Index& b, const Equivalence& e)
{
    Changes c(e);
    c.field(elements_text(a) != elements_text(b), "columns", elements_text(a), elements_text(b));
    c.field(a.unique != b.unique, "unique", yes_no(a.unique), yes_no(b.unique));
    c.field(normalize_expression(a.where) != normalize_expression(b.where), "where", or_word(a.where, "none"),
            or_word(b.where, "none"));
    c.field(!iequals(a.method, b.method), "method", or_word(a.method, "btree"), or_word(b.method, "btree"));
    c.field(a.include != b.include, "include", parenthesised(a.include), parenthesised(b.include));
    c.field(a.options != b.options, "options", or_word(a.options, "default"), or_word(b.options, "default"));
    c.comment(a.comment, b.comment);
    return c.done();
}

FieldChanges exclusion_changes(const ExclusionConstraint& a, const ExclusionConstraint& b, const Equivalence& e)
{
    Changes c(e);
    c.field(normalize_expression(a.definition) != normalize_expression(b.definition), "definition", a.definition,
            b.definition);
    c.comment(a.comment, b.comment);
    return c.done();
}

FieldChanges object_changes(const SqlObject& a, const SqlObject& b, const Equivalence& e)
{
    Changes c(e);
    c.field(a.kind == ObjectKind::enum_type && a.values != b.values, "labels", parenthesised(a.values),
            parenthesised(b.values));
    c.field(!a.table.empty() && a.table != b.table, "table", a.table, b.table);
    c.comment(a.comment, b.comment, false);
    if (e.object_definitions)
        for (const auto& [dialect, sql] : a.definition.by_dialect())
            if (auto it = b.definition.by_dialect().find(dialect);
                it != b.definition.by_dialect().end() && normalize_expression(sql) != normalize_expression(it->second))
                c.field(true, "definition", sql, it->second);
    return c.done();
}

std::string unique_key(const UniqueConstraint& u)
{
    return parenthesised(u.columns);
}

std::string foreign_key_key(const ForeignKey& fk)
{
    return parenthesised(fk.columns) + " -> " + (fk.ref_schema.empty() ? "" : fk.ref_schema + ".") + fk.ref_table +
           parenthesised(fk.ref_columns);
}

std::string check_key(const CheckConstraint& c)
{
    return normalize_expression(c.expression);
}

std::string object_key(const SqlObject& o)
{
    // A function is named with its arguments: overloads share a name.
    if (o.kind == ObjectKind::function && !o.definition.empty())
        if (auto arguments = function_arguments(o.definition.by_dialect().begin()->second))
            return "function " + o.name + *arguments;
    // A trigger's or policy's name is unique only on its table.
    const bool per_table = o.kind == ObjectKind::trigger || o.kind == ObjectKind::policy;
    return std::string(to_string(o.kind)) + " " + o.name + (per_table && !o.table.empty() ? " on " + o.table : "");
}

}  // namespace strata::detail
