// The schema model of one bind: its tables and SQL objects, declared in C++
// (with or without a struct, through the builders) or read back from a database.
#pragma once

#include "strata/model.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <typeindex>
#include <vector>

namespace strata {

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

    // A view's SELECT, a trigger's or function's CREATE statement: one text, or one per dialect.
    Schema& view(std::string name, SqlText select_sql);
    Schema& trigger(std::string name, std::string table, SqlText sql);
    Schema& function(std::string name, SqlText sql);
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

}  // namespace strata

// Schema::table<T>() returns a builder: a model is written with both.
#include "strata/builders.hpp"
