// The builders: one vocabulary for tables and columns, in a model
// (Schema::table<T>("user")) and in a step (strata::table("user"), col::text("name")).
//
// One nullability rule everywhere: a column is NOT NULL unless it says
// otherwise, by a std::optional type (member or column<std::optional<M>>) or
// by .nullable().
#pragma once

#include "strata/schema.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace strata {

// What a column says about itself alone. Shared by a model's columns
// (ColumnBuilder) and a step's standalone columns (ColumnSpec); Self gives the column.
template <class Self>
class ColumnOptions {
public:
    Self& nullable() { return set([](Column& c) { c.nullable = true; }); }
    Self& not_null() { return set([](Column& c) { c.nullable = false; }); }
    Self& autoincrement() { return set([](Column& c) { c.autoincrement = true; }); }
    Self& default_value(Value value)
    {
        return set([&](Column& c) { c.default_value = Default::literal(std::move(value)); });
    }
    Self& default_value(const char* text) { return default_value(Value{std::string(text)}); }
    template <class B>
        requires std::is_same_v<B, bool>  // exactly bool: 0.25 must not become true
    Self& default_value(B v) { return default_value(Value{v}); }
    template <class V>
        requires std::is_integral_v<V> && (!std::is_same_v<V, bool>)
    Self& default_value(V v) { return default_value(Value{static_cast<std::int64_t>(v)}); }
    Self& default_now() { return set([](Column& c) { c.default_value = Default::now(); }); }
    Self& default_current_date() { return set([](Column& c) { c.default_value = Default::current_date(); }); }
    Self& default_sql(std::string expression)
    {
        return set([&](Column& c) { c.default_value = Default::expression(std::move(expression)); });
    }
    Self& type(Type type) { return set([&](Column& c) { c.type = std::move(type); }); }
    Self& varchar(int length) { return type(Type::varchar(length)); }
    Self& text() { return type(Type::text()); }
    Self& numeric(int precision, int scale = 0) { return type(Type::numeric(precision, scale)); }
    Self& without_time_zone() { return type(Type::timestamp()); }
    Self& with_time_zone() { return type(Type::timestamptz()); }
    // Native enum declared with Schema::native_enum (text + CHECK where the dialect has none).
    Self& native_enum(std::string type_name) { return type(Type::enumeration(std::move(type_name))); }
    Self& collate(std::string collation) { return set([&](Column& c) { c.collation = std::move(collation); }); }
    Self& comment(std::string text) { return set([&](Column& c) { c.comment = std::move(text); }); }
    Self& generated_always(std::string expression, bool stored = true)
    {
        return set([&](Column& c) { c.generated = Generated{std::move(expression), stored}; });
    }

private:
    template <class F>
    Self& set(F&& change)
    {
        auto& self = static_cast<Self&>(*this);
        change(self.column_definition());
        return self;
    }
};

// Table-level declarations. Holds the schema and the table's position, not a
// pointer into the vector, so adding tables later cannot invalidate it. A
// step's table (strata::table()) owns its one-table schema, shared by every
// builder made from it, so a builder kept in a variable never dangles.
template <class T>
class TableBuilder {
public:
    TableBuilder(Schema& schema, std::size_t table) : schema_(&schema), table_(table) {}
    explicit TableBuilder(std::shared_ptr<Schema> owned)
        : schema_(owned.get()), table_(owned->tables.size() - 1), owned_(std::move(owned))
    {
    }

    // A column mapped to a struct member: type and nullability from the member type.
    template <class P>
        requires std::is_member_object_pointer_v<P>
    ColumnBuilder<T> column(P member, std::string name);
    // A column without a struct member: column<std::int64_t>("id"), column("x", Type::text()).
    template <class M>
    ColumnBuilder<T> column(std::string name);
    ColumnBuilder<T> column(std::string name, Type type);
    // A finished column (col::text("name").nullable()): the table continues.
    TableBuilder& column(Column column);

    TableBuilder& primary_key(std::vector<std::string> columns, std::string name = {});
    TableBuilder& unique(std::vector<std::string> columns, std::string name = {});
    TableBuilder& foreign_key(std::vector<std::string> columns, std::string ref_table,
                              std::vector<std::string> ref_columns, FkAction on_delete = FkAction::no_action,
                              FkAction on_update = FkAction::no_action, std::string name = {});
    TableBuilder& foreign_key(ForeignKey fk);
    TableBuilder& check(std::string expression, std::string name = {});
    TableBuilder& index(std::string name, std::vector<IndexElement> elements, IndexOptions options = {});
    TableBuilder& unique_index(std::string name, std::vector<IndexElement> elements, std::string where = {});
    TableBuilder& comment(std::string text);
    // The table's CHECK and comment under names no column uses: after a column,
    // .check() and .comment() are the column's.
    TableBuilder& table_check(std::string expression, std::string name = {}) { return check(std::move(expression), std::move(name)); }
    TableBuilder& table_comment(std::string text) { return comment(std::move(text)); }
    TableBuilder& without_rowid();
    TableBuilder& strict();  // SQLite STRICT; other engines check types anyway

    [[nodiscard]] Table& definition() { return schema_->tables.at(table_); }
    [[nodiscard]] const Table& definition() const { return schema_->tables.at(table_); }
    // The table as declared so far, for Ops::create_table.
    operator Table() const { return definition(); }  // NOLINT: implicit by design

protected:
    Schema* schema_;
    std::size_t table_;
    std::shared_ptr<Schema> owned_;  // a step's table; empty in a model
    detail::RowMapping* row_mapping();
    ColumnBuilder<T> add_column(std::string name, Type type, bool nullable);
};

// Column-level declarations; every table-level one stays available for chaining.
template <class T>
class ColumnBuilder : public TableBuilder<T>, public ColumnOptions<ColumnBuilder<T>> {
public:
    ColumnBuilder(const TableBuilder<T>& table, std::size_t index) : TableBuilder<T>(table), column_(index) {}

    // The table-level forms stay callable after a column (different arguments).
    using TableBuilder<T>::primary_key;
    using TableBuilder<T>::unique;
    using TableBuilder<T>::index;
    using TableBuilder<T>::column;
    // After a column, .comment() is the column's (the table's: .table_comment()).
    using ColumnOptions<ColumnBuilder<T>>::comment;

    ColumnBuilder& primary_key();
    // Named by convention (uq_<table>_<column>); the table-level unique() takes a name.
    ColumnBuilder& unique();
    ColumnBuilder& references(std::string table, std::string ref_column = "id",
                              FkAction on_delete = FkAction::no_action,
                              FkAction on_update = FkAction::no_action);
    // A CHECK on this column (the table's: .table_check()).
    ColumnBuilder& check(std::string expression, std::string name = {});
    // Portable enum: text plus CHECK (column IN (...)).
    ColumnBuilder& enum_values(std::vector<std::string> values);
    ColumnBuilder& index(std::string name = {});

    [[nodiscard]] Column& column_definition() { return this->definition().columns.at(column_); }

private:
    std::size_t column_;
};

// A column on its own, for the ops of a step (add_column, alter_column) and
// for a step's table: col::varchar("name", 80).nullable().
class ColumnSpec : public ColumnOptions<ColumnSpec> {
public:
    ColumnSpec(std::string name, Type type);
    operator Column() const { return column_; }  // NOLINT: implicit by design
    [[nodiscard]] const Column& column() const noexcept { return column_; }
    [[nodiscard]] Column& column_definition() noexcept { return column_; }

private:
    Column column_;
};

namespace col {
ColumnSpec smallint(std::string name);
ColumnSpec integer(std::string name);
ColumnSpec bigint(std::string name);
ColumnSpec boolean(std::string name);
ColumnSpec real(std::string name);
ColumnSpec double_precision(std::string name);
ColumnSpec numeric(std::string name, int precision = 0, int scale = 0);
ColumnSpec text(std::string name);
ColumnSpec varchar(std::string name, int length);
ColumnSpec blob(std::string name);
ColumnSpec timestamp(std::string name);
ColumnSpec timestamptz(std::string name);
ColumnSpec date(std::string name);
ColumnSpec json(std::string name);
ColumnSpec uuid(std::string name);
ColumnSpec of(std::string name, Type type);
}  // namespace col

// A table for a step, written as a model's table is:
// strata::table("audit").column("id", Type::bigint()).primary_key().column(col::text("what")).
// A step spells out what it creates: it never reads the head models, which change later.
[[nodiscard]] TableBuilder<void> table(std::string name);

// ---- implementation of the templates ------------------------------------------------

namespace detail {
void add_table_check(Table& table, std::string expression, std::string name);
void add_column_check(Table& table, const Column& column, std::string expression, std::string name);
void add_primary_key_column(Table& table, const std::string& column);
std::string enum_check_expression(const std::string& column, const std::vector<std::string>& values);

template <class P>
struct member_of;
template <class C, class M>
struct member_of<M C::*> {
    using type = M;
    using owner = C;
};
}  // namespace detail

template <class T>
TableBuilder<T> Schema::table(std::string name)
{
    add_table(std::move(name));
    TableBuilder<T> builder(*this, tables.size() - 1);
    if constexpr (!std::is_void_v<T>) {
        auto m = std::make_shared<detail::RowMapping>();
        m->table = tables.back().name;
        mappings_[std::type_index(typeid(T))] = std::move(m);
    }
    return builder;
}

template <class T>
detail::RowMapping* TableBuilder<T>::row_mapping()
{
    if constexpr (std::is_void_v<T>)
        return nullptr;
    else
        return schema_->mappings_.at(std::type_index(typeid(T))).get();
}

template <class T>
template <class P>
    requires std::is_member_object_pointer_v<P>
ColumnBuilder<T> TableBuilder<T>::column(P member, std::string name)
{
    using M = typename detail::member_of<P>::type;
    static_assert(std::is_same_v<typename detail::member_of<P>::owner, T>,
                  "the member must belong to the struct given to Schema::table<T>()");
    auto builder = add_column(name, column_traits<M>::type(), is_nullable_member_v<M>);
    row_mapping()->members.push_back(detail::MemberAccess{
        std::move(name),
        [member](const void* row) { return value_traits<M>::to(static_cast<const T*>(row)->*member); },
        [member](void* row, const Value& v) { static_cast<T*>(row)->*member = value_traits<M>::from(v); }});
    return builder;
}

template <class T>
template <class M>
ColumnBuilder<T> TableBuilder<T>::column(std::string name)
{
    return add_column(std::move(name), column_traits<M>::type(), is_nullable_member_v<M>);
}

template <class T>
ColumnBuilder<T> TableBuilder<T>::column(std::string name, Type type)
{
    return add_column(std::move(name), std::move(type), false);
}

template <class T>
TableBuilder<T>& TableBuilder<T>::column(Column column)
{
    definition().columns.push_back(std::move(column));
    return *this;
}

template <class T>
ColumnBuilder<T> TableBuilder<T>::add_column(std::string name, Type type, bool nullable)
{
    auto& t = definition();
    Column c;
    c.name = std::move(name);
    c.type = std::move(type);
    c.nullable = nullable;
    t.columns.push_back(std::move(c));
    return ColumnBuilder<T>(*this, t.columns.size() - 1);
}

template <class T>
TableBuilder<T>& TableBuilder<T>::primary_key(std::vector<std::string> columns, std::string name)
{
    auto& t = definition();
    if (name.empty())
        name = detail::convention_name("pk", t.name, {});
    t.primary_key = PrimaryKey{std::move(name), std::move(columns)};
    return *this;
}

template <class T>
TableBuilder<T>& TableBuilder<T>::unique(std::vector<std::string> columns, std::string name)
{
    auto& t = definition();
    if (name.empty())
        name = detail::convention_name("uq", t.name, columns);
    t.uniques.push_back(UniqueConstraint{std::move(name), std::move(columns)});
    return *this;
}

template <class T>
TableBuilder<T>& TableBuilder<T>::foreign_key(std::vector<std::string> columns, std::string ref_table,
                                              std::vector<std::string> ref_columns, FkAction on_delete,
                                              FkAction on_update, std::string name)
{
    ForeignKey fk;
    fk.name = std::move(name);
    fk.columns = std::move(columns);
    fk.ref_table = std::move(ref_table);
    fk.ref_columns = std::move(ref_columns);
    fk.on_delete = on_delete;
    fk.on_update = on_update;
    return foreign_key(std::move(fk));
}

template <class T>
TableBuilder<T>& TableBuilder<T>::foreign_key(ForeignKey fk)
{
    auto& t = definition();
    if (fk.name.empty()) {
        auto parts = fk.columns;
        parts.push_back(fk.ref_table);
        fk.name = detail::convention_name("fk", t.name, parts);
    }
    t.foreign_keys.push_back(std::move(fk));
    return *this;
}

template <class T>
TableBuilder<T>& TableBuilder<T>::check(std::string expression, std::string name)
{
    detail::add_table_check(definition(), std::move(expression), std::move(name));
    return *this;
}

template <class T>
TableBuilder<T>& TableBuilder<T>::index(std::string name, std::vector<IndexElement> elements, IndexOptions options)
{
    Index ix;
    ix.name = std::move(name);
    ix.elements = std::move(elements);
    ix.unique = options.unique;
    ix.where = std::move(options.where);
    ix.method = std::move(options.method);
    definition().indexes.push_back(std::move(ix));
    return *this;
}

template <class T>
TableBuilder<T>& TableBuilder<T>::unique_index(std::string name, std::vector<IndexElement> elements, std::string where)
{
    return index(std::move(name), std::move(elements), IndexOptions{true, std::move(where), {}});
}

template <class T>
TableBuilder<T>& TableBuilder<T>::comment(std::string text)
{
    definition().comment = std::move(text);
    return *this;
}

template <class T>
TableBuilder<T>& TableBuilder<T>::without_rowid()
{
    definition().without_rowid = true;
    return *this;
}

template <class T>
TableBuilder<T>& TableBuilder<T>::strict()
{
    definition().strict = true;
    return *this;
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::primary_key()
{
    auto& c = column_definition();
    c.nullable = false;
    detail::add_primary_key_column(this->definition(), c.name);
    return *this;
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::unique()
{
    TableBuilder<T>::unique({column_definition().name});
    return *this;
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::references(std::string table, std::string ref_column, FkAction on_delete,
                                               FkAction on_update)
{
    TableBuilder<T>::foreign_key({column_definition().name}, std::move(table), {std::move(ref_column)}, on_delete,
                                 on_update);
    return *this;
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::check(std::string expression, std::string name)
{
    detail::add_column_check(this->definition(), column_definition(), std::move(expression), std::move(name));
    return *this;
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::enum_values(std::vector<std::string> values)
{
    auto& c = column_definition();
    if (!c.type.is_textual())
        c.type = Type::text();
    return check(detail::enum_check_expression(c.name, values));
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::index(std::string name)
{
    auto& t = this->definition();
    const auto& c = column_definition();
    if (name.empty())
        name = detail::convention_name("ix", t.name, {c.name});
    TableBuilder<T>::index(std::move(name), {IndexElement(c.name)});
    return *this;
}

}  // namespace strata
