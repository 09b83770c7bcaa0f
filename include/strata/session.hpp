// strata::Session: a thin handle on one open connection, for data steps and tests.
#pragma once

#include "strata/types.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <typeindex>
#include <vector>

namespace strata {

class Dialect;
class Schema;
struct Url;
namespace detail {
struct RowMapping;
}

struct Rows {
    std::vector<std::string> columns;
    std::vector<std::vector<Value>> rows;
    [[nodiscard]] bool empty() const noexcept { return rows.empty(); }
    [[nodiscard]] std::size_t size() const noexcept { return rows.size(); }
};

enum class TransactionMode {
    deferred,   // plain BEGIN
    immediate,  // SQLite BEGIN IMMEDIATE: take the write lock now (PostgreSQL: plain BEGIN)
};

// Parameters use `?` placeholders on every dialect. Backends implement the virtuals;
// the typed helpers map structs declared with Schema::table<T>() onto rows.
class Session {
public:
    Session() = default;
    virtual ~Session() = default;
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    [[nodiscard]] virtual const Dialect& dialect() const noexcept = 0;
    [[nodiscard]] virtual const Url& url() const noexcept = 0;

    // Runs SQL without parameters; the text may hold several statements.
    virtual void execute(std::string_view sql) = 0;
    // Runs one statement with parameters; returns the number of rows changed.
    virtual std::int64_t execute(std::string_view sql, const std::vector<Value>& params) = 0;
    [[nodiscard]] virtual Rows query(std::string_view sql, const std::vector<Value>& params = {}) = 0;

    virtual void begin(TransactionMode mode = TransactionMode::deferred) = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
    [[nodiscard]] virtual bool in_transaction() const noexcept = 0;

    // Makes this open connection serve `url` as a new connection to it would: a
    // bind of the same server database that differs only in its schema
    // (?schema=), with the session's settings back to their defaults. A fleet
    // of tenant schemas then needs no new connection (and server process) per
    // tenant. False, changing nothing, when it cannot (another server, database
    // or user; a transaction open; an engine that never can).
    [[nodiscard]] virtual bool reuse_for(const Url& /*url*/) { return false; }

    // sqlite3* or PGconn*, for code that needs the engine's own API.
    [[nodiscard]] virtual void* native_handle() noexcept = 0;
    // The soci::session that owns the connection; see strata/soci.hpp.
    [[nodiscard]] virtual void* soci_session() noexcept = 0;

    // Statements sent to the database so far (execute, query, transaction control).
    [[nodiscard]] std::uint64_t statements_executed() const noexcept { return statements_; }
    // Called with each statement's SQL before it runs (logging, `-v`, tests).
    void set_statement_observer(std::function<void(std::string_view)> observer) { observer_ = std::move(observer); }
    [[nodiscard]] const std::function<void(std::string_view)>& statement_observer() const noexcept { return observer_; }

    // The models whose struct mappings the typed helpers use (the upgrader sets it).
    void attach_schema(const Schema* schema) noexcept { schema_ = schema; }
    [[nodiscard]] const Schema* schema() const noexcept { return schema_; }

    // Typed access through the struct mapping of Schema::table<T>().
    template <class T>
    void insert(const T& row) { insert_row(mapping_for(typeid(T)), &row); }
    template <class T>
    std::int64_t update(const T& row) { return update_row(mapping_for(typeid(T)), &row); }
    // SELECT of the mapped columns; `where` is SQL after WHERE, with `?` parameters.
    template <class T>
    std::vector<T> select(std::string_view where = {}, const std::vector<Value>& params = {})
    {
        const auto& m = mapping_for(typeid(T));
        auto rows = select_rows(m, where, params);
        std::vector<T> out(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i)
            read_row(m, rows.rows[i], &out[i]);
        return out;
    }
    // One value: the first column of the first row (NULL when there is none).
    [[nodiscard]] Value scalar(std::string_view sql, const std::vector<Value>& params = {});
    // The same as T, parameters given as they are:
    //   auto n = s.scalar<std::int64_t>("SELECT count(*) FROM item WHERE code = ?", code);
    // NULL (or no row) reads as an empty std::optional<U>, and is an error for any other T.
    template <class T, class... Args>
    [[nodiscard]] T scalar(std::string_view sql, const Args&... args)
    {
        return value_traits<T>::from(scalar(sql, std::vector<Value>{to_value(args)...}));
    }
    // execute() and query() with their parameters given as they are:
    //   s.execute("UPDATE item SET name = ? WHERE id = ?", "pen", 7);
    template <class... Args>
        requires(sizeof...(Args) > 0 && !(sizeof...(Args) == 1 && (std::is_same_v<std::decay_t<Args>, std::vector<Value>> && ...)))
    std::int64_t execute(std::string_view sql, const Args&... args)
    {
        return execute(sql, std::vector<Value>{to_value(args)...});
    }
    template <class... Args>
        requires(sizeof...(Args) > 0 && !(sizeof...(Args) == 1 && (std::is_same_v<std::decay_t<Args>, std::vector<Value>> && ...)))
    [[nodiscard]] Rows query(std::string_view sql, const Args&... args)
    {
        return query(sql, std::vector<Value>{to_value(args)...});
    }

protected:
    void count_statement(std::string_view sql)
    {
        ++statements_;
        if (observer_)
            observer_(sql);
    }

private:
    const detail::RowMapping& mapping_for(std::type_index type) const;
    void insert_row(const detail::RowMapping& m, const void* row);
    std::int64_t update_row(const detail::RowMapping& m, const void* row);
    Rows select_rows(const detail::RowMapping& m, std::string_view where, const std::vector<Value>& params);
    static void read_row(const detail::RowMapping& m, const std::vector<Value>& values, void* row);

    const Schema* schema_ = nullptr;
    std::uint64_t statements_ = 0;
    std::function<void(std::string_view)> observer_;
};

// RAII transaction: begins in the constructor, rolls back unless commit() ran.
// The destructor never throws.
class Transaction {
public:
    explicit Transaction(Session& session, TransactionMode mode = TransactionMode::deferred);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();  // a second commit() throws
    void rollback();

private:
    Session& session_;
    bool done_ = false;
};

}  // namespace strata
