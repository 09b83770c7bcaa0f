// The schema model: lookups, SQL objects and the naming convention.
#include "strata/schema.hpp"

#include "text.hpp"

#include <algorithm>
#include <utility>

namespace strata {

const char* to_string(AutoincrementStyle style) noexcept
{
    switch (style) {
    case AutoincrementStyle::identity: return "identity";
    case AutoincrementStyle::identity_always: return "always";
    case AutoincrementStyle::serial: return "serial";
    }
    return "identity";
}

const char* to_sql(FkAction action) noexcept
{
    switch (action) {
    case FkAction::no_action: return "NO ACTION";
    case FkAction::restrict: return "RESTRICT";
    case FkAction::cascade: return "CASCADE";
    case FkAction::set_null: return "SET NULL";
    case FkAction::set_default: return "SET DEFAULT";
    }
    return "NO ACTION";
}

const char* to_string(ObjectKind kind) noexcept
{
    switch (kind) {
    case ObjectKind::extension: return "extension";
    case ObjectKind::enum_type: return "enum";
    case ObjectKind::function: return "function";
    case ObjectKind::view: return "view";
    case ObjectKind::trigger: return "trigger";
    case ObjectKind::domain: return "domain";
    case ObjectKind::composite_type: return "composite_type";
    case ObjectKind::sequence: return "sequence";
    case ObjectKind::materialized_view: return "materialized_view";
    case ObjectKind::index: return "index";
    case ObjectKind::policy: return "policy";
    }
    return "object";
}

bool lives_on_table(ObjectKind kind) noexcept
{
    return kind == ObjectKind::trigger || kind == ObjectKind::policy || kind == ObjectKind::index;
}

bool is_view(ObjectKind kind) noexcept
{
    return kind == ObjectKind::view || kind == ObjectKind::materialized_view;
}

std::optional<ObjectKind> object_kind_from(std::string_view name) noexcept
{
    for (auto k : {ObjectKind::extension, ObjectKind::enum_type, ObjectKind::function, ObjectKind::view,
                   ObjectKind::trigger, ObjectKind::domain, ObjectKind::composite_type, ObjectKind::sequence,
                   ObjectKind::materialized_view, ObjectKind::index, ObjectKind::policy})
        if (name == to_string(k))
            return k;
    return std::nullopt;
}

std::string to_string(const Default& d)
{
    switch (d.kind) {
    case Default::Kind::literal: return to_display(d.value);
    case Default::Kind::now: return "now()";
    case Default::Kind::current_date: return "current_date";
    case Default::Kind::expression: return "(" + d.sql + ")";
    }
    return "?";
}

IndexElement desc(std::string column)
{
    IndexElement e(std::move(column));
    e.descending = true;
    return e;
}

IndexElement expr(std::string expression, bool descending)
{
    IndexElement e;
    e.expression = std::move(expression);
    e.descending = descending;
    return e;
}

const Column* Table::find_column(std::string_view n) const noexcept
{
    auto it = std::find_if(columns.begin(), columns.end(), [&](const Column& c) { return c.name == n; });
    return it == columns.end() ? nullptr : &*it;
}

Column* Table::find_column(std::string_view n) noexcept
{
    return const_cast<Column*>(std::as_const(*this).find_column(n));
}

const Index* Table::find_index(std::string_view n) const noexcept
{
    auto it = std::find_if(indexes.begin(), indexes.end(), [&](const Index& i) { return i.name == n; });
    return it == indexes.end() ? nullptr : &*it;
}

bool Table::in_primary_key(std::string_view column) const noexcept
{
    return primary_key && std::find(primary_key->columns.begin(), primary_key->columns.end(), column) !=
                              primary_key->columns.end();
}

Table& Schema::add_table(std::string name)
{
    Table t;
    t.name = std::move(name);
    tables.push_back(std::move(t));
    return tables.back();
}

const Table* Schema::find_table(std::string_view name) const noexcept
{
    auto it = std::find_if(tables.begin(), tables.end(), [&](const Table& t) { return t.name == name; });
    return it == tables.end() ? nullptr : &*it;
}

Table* Schema::find_table(std::string_view name) noexcept
{
    return const_cast<Table*>(std::as_const(*this).find_table(name));
}

const SqlObject* Schema::find_object(ObjectKind kind, std::string_view name) const noexcept
{
    auto it = std::find_if(objects.begin(), objects.end(),
                           [&](const SqlObject& o) { return o.kind == kind && o.name == name; });
    return it == objects.end() ? nullptr : &*it;
}

const detail::RowMapping* Schema::mapping(std::type_index type) const noexcept
{
    auto it = mappings_.find(type);
    return it == mappings_.end() ? nullptr : it->second.get();
}

Schema& Schema::view(std::string name, SqlText select_sql)
{
    SqlObject o;
    o.kind = ObjectKind::view;
    o.name = std::move(name);
    o.definition = std::move(select_sql);
    return object(std::move(o));
}

Schema& Schema::trigger(std::string name, std::string table, SqlText sql)
{
    SqlObject o;
    o.kind = ObjectKind::trigger;
    o.name = std::move(name);
    o.table = std::move(table);
    o.definition = std::move(sql);
    return object(std::move(o));
}

Schema& Schema::function(std::string name, SqlText sql)
{
    SqlObject o;
    o.kind = ObjectKind::function;
    o.name = std::move(name);
    o.definition = std::move(sql);
    return object(std::move(o));
}

Schema& Schema::native_enum(std::string name, std::vector<std::string> values)
{
    SqlObject o;
    o.kind = ObjectKind::enum_type;
    o.name = std::move(name);
    o.values = std::move(values);
    return object(std::move(o));
}

Schema& Schema::extension(std::string name)
{
    SqlObject o;
    o.kind = ObjectKind::extension;
    o.name = std::move(name);
    return object(std::move(o));
}

Schema& Schema::object(SqlObject object)
{
    objects.push_back(std::move(object));
    return *this;
}

namespace detail {

std::string shorten_identifier(std::string name, std::size_t limit)
{
    if (name.size() <= limit)
        return name;
    // Keep a readable prefix and make the rest unique: prefix_<8 hex of the full name>.
    auto suffix = "_" + hex64(fnv1a64(name)).substr(0, 8);
    name.resize(limit - suffix.size());
    return name + suffix;
}

std::string convention_name(std::string_view prefix, std::string_view table, const std::vector<std::string>& parts)
{
    std::string name(prefix);
    name += '_';
    name += table;
    for (const auto& p : parts) {
        name += '_';
        name += p;
    }
    return shorten_identifier(std::move(name));
}

void add_primary_key_column(Table& table, const std::string& column)
{
    if (!table.primary_key)
        table.primary_key = PrimaryKey{convention_name("pk", table.name, {}), {}};
    table.primary_key->columns.push_back(column);
}

void add_table_check(Table& table, std::string expression, std::string name)
{
    if (name.empty())
        name = convention_name("ck", table.name, {hex64(fnv1a64(expression)).substr(0, 8)});
    table.checks.push_back(CheckConstraint{std::move(name), std::move(expression)});
}

void add_column_check(Table& table, const Column& column, std::string expression, std::string name)
{
    if (name.empty()) {
        name = convention_name("ck", table.name, {column.name});
        bool taken = std::any_of(table.checks.begin(), table.checks.end(),
                                 [&](const CheckConstraint& c) { return c.name == name; });
        if (taken)
            name = convention_name("ck", table.name, {column.name, hex64(fnv1a64(expression)).substr(0, 8)});
    }
    table.checks.push_back(CheckConstraint{std::move(name), std::move(expression)});
}

std::string enum_check_expression(const std::string& column, const std::vector<std::string>& values)
{
    std::string out = "\"";
    for (char c : column) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += "\" IN (";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i)
            out += ", ";
        out += single_quoted(values[i]);
    }
    out += ')';
    return out;
}

}  // namespace detail
}  // namespace strata
