// The schema model's parts: columns, keys, indexes, constraints, tables and SQL
// objects, as plain values (declared by the builders or read from a database).
#pragma once

#include "strata/sql_text.hpp"
#include "strata/types.hpp"

#include <optional>
#include <string>
#include <string_view>
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

// What tables alone cannot say. `definition` is the object's SQL by dialect:
// for a view or a materialized view its SELECT, for the others the whole
// CREATE statement. A dialect without a text (own or shared) does not get the object.
struct SqlObject {
    ObjectKind kind = ObjectKind::view;
    std::string name;
    std::string table;                          // a trigger's, policy's or index's relation
    SqlText definition;
    std::vector<std::string> values;            // enum_type labels
    std::string comment;
    // Tables and objects (by name) this one must be created after, as the
    // database recorded them (pg_depend); not part of what the object is.
    std::vector<std::string> depends_on;
    [[nodiscard]] const std::string* definition_for(std::string_view dialect) const { return definition.for_dialect(dialect); }
    friend bool operator==(const SqlObject& a, const SqlObject& b)
    {
        return a.kind == b.kind && a.name == b.name && a.table == b.table && a.definition == b.definition &&
               a.values == b.values && a.comment == b.comment;
    }
};

}  // namespace strata
