// The schema model: tables, columns, keys, indexes, constraints and SQL objects of
// one bind, declared in C++ (with or without a struct) or read back from a database.
#pragma once

#include "strata/types.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <typeindex>
#include <vector>

namespace strata {

enum class FkAction { no_action, restrict, cascade, set_null, set_default };
[[nodiscard]] const char* to_sql(FkAction action) noexcept;  // "CASCADE", "SET NULL", ...

struct Default {
    enum class Kind { literal, now, current_date, expression };
    Kind kind = Kind::literal;
    Value value;        // literal
    std::string sql;    // expression, verbatim

    static Default literal(Value v) { return {Kind::literal, std::move(v), {}}; }
    static Default now() { return {Kind::now, {}, {}}; }
    static Default current_date() { return {Kind::current_date, {}, {}}; }
    static Default expression(std::string sql) { return {Kind::expression, {}, std::move(sql)}; }
    friend bool operator==(const Default&, const Default&) = default;
};
[[nodiscard]] std::string to_string(const Default& d);  // 42, 'x', now(), (lower('A'))

struct Generated {
    std::string expression;
    bool stored = true;
    friend bool operator==(const Generated&, const Generated&) = default;
};

// How a PostgreSQL column numbers its rows: an identity column (BY DEFAULT takes
// explicit values, ALWAYS refuses them) or a serial one (a sequence it owns).
// SQLite has one kind, its rowid.
enum class AutoincrementStyle { identity, identity_always, serial };
[[nodiscard]] const char* to_string(AutoincrementStyle style) noexcept;  // "identity", "always", "serial"

struct Column {
    std::string name;
    Type type;
    bool nullable = true;
    std::optional<Default> default_value;
    bool autoincrement = false;  // SQLite AUTOINCREMENT, PostgreSQL identity or serial
    AutoincrementStyle autoincrement_style = AutoincrementStyle::identity;
    std::string collation;
    std::optional<Generated> generated;
    std::string comment;
    // PostgreSQL: the identity sequence's options that are not the defaults, as
    // written inside GENERATED ... AS IDENTITY (...): "START WITH 10 INCREMENT BY 10".
    std::string identity_options;
    friend bool operator==(const Column&, const Column&) = default;
};

struct PrimaryKey {
    std::string name;
    std::vector<std::string> columns;
    std::string comment;  // PostgreSQL COMMENT ON CONSTRAINT
    friend bool operator==(const PrimaryKey&, const PrimaryKey&) = default;
};

struct UniqueConstraint {
    std::string name;
    std::vector<std::string> columns;
    bool deferrable = false;  // PostgreSQL
    bool initially_deferred = false;
    std::string comment;
    friend bool operator==(const UniqueConstraint&, const UniqueConstraint&) = default;
};

struct ForeignKey {
    std::string name;
    std::vector<std::string> columns;
    std::string ref_table;
    std::vector<std::string> ref_columns;
    FkAction on_delete = FkAction::no_action;
    FkAction on_update = FkAction::no_action;
    bool deferrable = false;
    bool initially_deferred = false;
    std::string ref_schema;   // PostgreSQL: the referenced table's schema when not the bind's
    bool match_full = false;  // MATCH FULL: all key columns NULL, or none
    std::string comment;
    friend bool operator==(const ForeignKey&, const ForeignKey&) = default;
};

struct CheckConstraint {
    std::string name;
    std::string expression;
    std::string comment;
    friend bool operator==(const CheckConstraint&, const CheckConstraint&) = default;
};

// Where NULLs sort in an index key; `natural` is the engine's default for the
// direction (PostgreSQL: last ascending, first descending).
enum class NullsOrder { natural, first, last };

// One key of an index: a column or an expression, ascending or descending, with
// an operator class (text_pattern_ops) and a collation when not the column's.
struct IndexElement {
    std::string column;
    std::string expression;
    bool descending = false;
    NullsOrder nulls = NullsOrder::natural;
    std::string opclass;
    std::string collation;

    IndexElement() = default;
    IndexElement(const char* column_name) : column(column_name) {}          // NOLINT: implicit by design
    IndexElement(std::string column_name) : column(std::move(column_name)) {}  // NOLINT
    friend bool operator==(const IndexElement&, const IndexElement&) = default;
};
[[nodiscard]] IndexElement desc(std::string column);
[[nodiscard]] IndexElement expr(std::string expression, bool descending = false);

struct Index {
    std::string name;
    std::vector<IndexElement> elements;
    bool unique = false;
    std::string where;   // partial index predicate
    std::string method;  // PostgreSQL access method (gin, gist, ...); empty = btree
    std::vector<std::string> include;  // PostgreSQL INCLUDE columns: stored, not keys
    std::string options;  // PostgreSQL storage parameters, as inside WITH (...): "fillfactor=70"
    std::string comment;
    friend bool operator==(const Index&, const Index&) = default;
};

// A PostgreSQL exclusion constraint, as the server writes it after the name:
// "EXCLUDE USING gist (during WITH &&) WHERE ((return_date IS NULL))".
struct ExclusionConstraint {
    std::string name;
    std::string definition;
    std::string comment;
    friend bool operator==(const ExclusionConstraint&, const ExclusionConstraint&) = default;
};

struct IndexOptions {
    bool unique = false;
    std::string where;
    std::string method;
};

struct Table {
    std::string name;
    std::vector<Column> columns;
    std::optional<PrimaryKey> primary_key;
    std::vector<UniqueConstraint> uniques;
    std::vector<ForeignKey> foreign_keys;
    std::vector<CheckConstraint> checks;
    std::vector<Index> indexes;
    std::vector<ExclusionConstraint> exclusions;
    std::string comment;
    bool without_rowid = false;  // SQLite WITHOUT ROWID
    bool strict = false;         // SQLite STRICT: values must match the declared types
    // PostgreSQL declarative partitioning: a partitioned table says how
    // ("RANGE (paid_at)"); a partition names its parent and its bound
    // ("FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')"), and inherits its
    // columns, keys and indexes from the parent.
    std::string partition_by;
    std::string partition_of;
    std::string partition_bound;
    // PostgreSQL row-level security: enabled (policies apply to other roles) and
    // forced (to the owner too).
    bool row_security = false;
    bool force_row_security = false;

    [[nodiscard]] const Column* find_column(std::string_view name) const noexcept;
    [[nodiscard]] Column* find_column(std::string_view name) noexcept;
    [[nodiscard]] const Index* find_index(std::string_view name) const noexcept;
    [[nodiscard]] bool in_primary_key(std::string_view column) const noexcept;
    friend bool operator==(const Table&, const Table&) = default;
};

// The kinds of SqlObject. The ones after `trigger` are PostgreSQL's: a domain,
// composite type, standalone sequence or policy is kept as its CREATE statement;
// a materialized view as its SELECT; an `index` is one on a materialized view
// (a table's indexes belong to the table).
enum class ObjectKind {
    extension, enum_type, function, view, trigger,
    domain, composite_type, sequence, materialized_view, index, policy
};
[[nodiscard]] const char* to_string(ObjectKind kind) noexcept;
// Triggers, policies and indexes live on a relation (SqlObject::table) and go with it.
[[nodiscard]] bool lives_on_table(ObjectKind kind) noexcept;
// Views and materialized views read tables: they are created after them.
[[nodiscard]] bool is_view(ObjectKind kind) noexcept;
// The kind named by to_string(), or nothing.
[[nodiscard]] std::optional<ObjectKind> object_kind_from(std::string_view name) noexcept;

// What tables alone cannot say. `definition` maps a dialect name ("sqlite",
// "postgresql", or "" for every dialect) to the object's SQL: for a view or a
// materialized view its SELECT, for the others the whole CREATE statement. A
// dialect without a definition (and without a "" one) does not get the object.
struct SqlObject {
    ObjectKind kind = ObjectKind::view;
    std::string name;
    std::string table;                          // a trigger's, policy's or index's relation
    std::map<std::string, std::string> definition;
    std::vector<std::string> values;            // enum_type labels
    std::string comment;
    // Tables and objects (by name) this one must be created after, as the
    // database recorded them (pg_depend); not part of what the object is.
    std::vector<std::string> depends_on;
    [[nodiscard]] const std::string* definition_for(std::string_view dialect) const;
    friend bool operator==(const SqlObject& a, const SqlObject& b)
    {
        return a.kind == b.kind && a.name == b.name && a.table == b.table && a.definition == b.definition &&
               a.values == b.values && a.comment == b.comment;
    }
};

namespace detail {
// Reads and writes one member of a mapped struct as a Value (typed data access).
struct MemberAccess {
    std::string column;
    std::function<Value(const void*)> get;
    std::function<void(void*, const Value&)> set;
};
struct RowMapping {
    std::string table;
    std::vector<MemberAccess> members;
};
// Constraint and index names by convention, at most 63 bytes (PostgreSQL's limit),
// identical on every dialect: a longer name keeps a prefix and gains a hash.
std::string convention_name(std::string_view prefix, std::string_view table,
                            const std::vector<std::string>& parts);
std::string shorten_identifier(std::string name, std::size_t limit = 63);
}  // namespace detail

template <class T>
class TableBuilder;
template <class T>
class ColumnBuilder;

class Schema {
public:
    explicit Schema(std::string bind = {}) : bind_(std::move(bind)) {}

    [[nodiscard]] const std::string& bind() const noexcept { return bind_; }
    void set_bind(std::string bind) { bind_ = std::move(bind); }

    // Declares a table mapped to the struct T (typed access) or, with T = void, without one.
    template <class T = void>
    TableBuilder<T> table(std::string name);

    Schema& view(std::string name, std::string select_sql);
    Schema& view(std::string name, std::map<std::string, std::string> select_sql_by_dialect);
    Schema& trigger(std::string name, std::string table, std::map<std::string, std::string> sql_by_dialect);
    Schema& function(std::string name, std::map<std::string, std::string> sql_by_dialect);
    Schema& native_enum(std::string name, std::vector<std::string> values);
    Schema& extension(std::string name);
    Schema& object(SqlObject object);

    std::vector<Table> tables;
    std::vector<SqlObject> objects;

    [[nodiscard]] const Table* find_table(std::string_view name) const noexcept;
    [[nodiscard]] Table* find_table(std::string_view name) noexcept;
    [[nodiscard]] const SqlObject* find_object(ObjectKind kind, std::string_view name) const noexcept;
    [[nodiscard]] const detail::RowMapping* mapping(std::type_index type) const noexcept;

    // Model equality (bind name and struct mappings excluded).
    friend bool operator==(const Schema& a, const Schema& b) { return a.tables == b.tables && a.objects == b.objects; }

private:
    template <class T>
    friend class TableBuilder;
    template <class T>
    friend class ColumnBuilder;
    Table& add_table(std::string name);

    std::string bind_;
    std::map<std::type_index, std::shared_ptr<detail::RowMapping>> mappings_;
};

// Table-level declarations. Holds the schema and the table's position, not a
// pointer into the vector, so adding tables later cannot invalidate it.
template <class T>
class TableBuilder {
public:
    TableBuilder(Schema& schema, std::size_t table) : schema_(&schema), table_(table) {}

    // A column mapped to a struct member: type and nullability from the member type.
    template <class P>
        requires std::is_member_object_pointer_v<P>
    ColumnBuilder<T> column(P member, std::string name);

    // A column without a struct member: column<std::int64_t>("id"), column("x", Type::text()).
    // One rule for models and steps alike: a column is NOT NULL unless it says
    // otherwise, by a std::optional type (member or column<std::optional<M>>)
    // or by .nullable().
    template <class M>
    ColumnBuilder<T> column(std::string name);
    ColumnBuilder<T> column(std::string name, Type type);

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

protected:
    Schema* schema_;
    std::size_t table_;
    detail::RowMapping* row_mapping();
    ColumnBuilder<T> add_column(std::string name, Type type, bool nullable);
};

// Column-level declarations; every table-level one stays available for chaining.
template <class T>
class ColumnBuilder : public TableBuilder<T> {
public:
    ColumnBuilder(Schema& schema, std::size_t table, std::size_t column)
        : TableBuilder<T>(schema, table), column_(column) {}

    // The table-level forms stay callable after a column (different arguments).
    using TableBuilder<T>::primary_key;
    using TableBuilder<T>::unique;
    using TableBuilder<T>::index;

    ColumnBuilder& primary_key();
    ColumnBuilder& autoincrement();
    ColumnBuilder& not_null();
    ColumnBuilder& nullable();
    // Named by convention (uq_<table>_<column>); the table-level unique() takes a name.
    ColumnBuilder& unique();
    ColumnBuilder& default_value(Value value);
    ColumnBuilder& default_value(const char* text) { return default_value(Value{std::string(text)}); }
    template <class B>
        requires std::is_same_v<B, bool>  // exactly bool: 0.25 must not become true
    ColumnBuilder& default_value(B v) { return default_value(Value{v}); }
    template <class V>
        requires std::is_integral_v<V> && (!std::is_same_v<V, bool>)
    ColumnBuilder& default_value(V v) { return default_value(Value{static_cast<std::int64_t>(v)}); }
    ColumnBuilder& default_now();
    ColumnBuilder& default_current_date();
    ColumnBuilder& default_sql(std::string expression);
    ColumnBuilder& type(Type type);
    ColumnBuilder& varchar(int length);
    ColumnBuilder& text();
    ColumnBuilder& numeric(int precision, int scale = 0);
    ColumnBuilder& without_time_zone();
    ColumnBuilder& with_time_zone();
    ColumnBuilder& references(std::string table, std::string column = "id",
                              FkAction on_delete = FkAction::no_action,
                              FkAction on_update = FkAction::no_action);
    ColumnBuilder& check(std::string expression, std::string name = {});
    ColumnBuilder& comment(std::string text);
    ColumnBuilder& collate(std::string collation);
    // Portable enum: text plus CHECK (column IN (...)).
    ColumnBuilder& enum_values(std::vector<std::string> values);
    // Native enum declared with Schema::native_enum (text + CHECK where the dialect has none).
    ColumnBuilder& native_enum(std::string type_name);
    ColumnBuilder& generated_always(std::string expression, bool stored = true);
    ColumnBuilder& index(std::string name = {});

    [[nodiscard]] Column& column_definition() { return this->definition().columns.at(column_); }

private:
    std::size_t column_;
};

// ---- implementation of the templates ------------------------------------------------

namespace detail {
void add_table_check(Table& table, std::string expression, std::string name);
void add_column_check(Table& table, const Column& column, std::string expression, std::string name);
void add_primary_key_column(Table& table, const std::string& column);
std::string enum_check_expression(const std::string& column, const std::vector<std::string>& values);
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

namespace detail {
template <class P>
struct member_of;
template <class C, class M>
struct member_of<M C::*> {
    using type = M;
    using owner = C;
};
}  // namespace detail

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
ColumnBuilder<T> TableBuilder<T>::add_column(std::string name, Type type, bool nullable)
{
    auto& t = definition();
    Column c;
    c.name = std::move(name);
    c.type = std::move(type);
    c.nullable = nullable;
    t.columns.push_back(std::move(c));
    return ColumnBuilder<T>(*schema_, table_, t.columns.size() - 1);
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
ColumnBuilder<T>& ColumnBuilder<T>::autoincrement()
{
    column_definition().autoincrement = true;
    return *this;
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::not_null()
{
    column_definition().nullable = false;
    return *this;
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::nullable()
{
    column_definition().nullable = true;
    return *this;
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::unique()
{
    TableBuilder<T>::unique({column_definition().name});
    return *this;
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::default_value(Value value)
{
    column_definition().default_value = Default::literal(std::move(value));
    return *this;
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::default_now()
{
    column_definition().default_value = Default::now();
    return *this;
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::default_current_date()
{
    column_definition().default_value = Default::current_date();
    return *this;
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::default_sql(std::string expression)
{
    column_definition().default_value = Default::expression(std::move(expression));
    return *this;
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::type(Type type)
{
    column_definition().type = std::move(type);
    return *this;
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::varchar(int length)
{
    return type(Type::varchar(length));
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::text()
{
    return type(Type::text());
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::numeric(int precision, int scale)
{
    return type(Type::numeric(precision, scale));
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::without_time_zone()
{
    return type(Type::timestamp());
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::with_time_zone()
{
    return type(Type::timestamptz());
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::references(std::string table, std::string column, FkAction on_delete,
                                               FkAction on_update)
{
    TableBuilder<T>::foreign_key({column_definition().name}, std::move(table), {std::move(column)}, on_delete,
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
ColumnBuilder<T>& ColumnBuilder<T>::comment(std::string text)
{
    column_definition().comment = std::move(text);
    return *this;
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::collate(std::string collation)
{
    column_definition().collation = std::move(collation);
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
ColumnBuilder<T>& ColumnBuilder<T>::native_enum(std::string type_name)
{
    return type(Type::enumeration(std::move(type_name)));
}

template <class T>
ColumnBuilder<T>& ColumnBuilder<T>::generated_always(std::string expression, bool stored)
{
    column_definition().generated = Generated{std::move(expression), stored};
    return *this;
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
