// The Dialect contract: what a backend renders, reads back and can do.
#pragma once

#include "strata/ops.hpp"
#include "strata/schema.hpp"

#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

class Session;
struct Url;

// What the engine can do; the core branches on these, never on a dialect's name.
struct Capabilities {
    bool transactional_ddl = true;
    bool alter_column = true;        // type, nullability and default in place
    bool drop_column = true;         // without rebuilding the table
    bool alter_constraints = true;   // ALTER TABLE ADD/DROP CONSTRAINT
    bool partial_indexes = true;
    bool expression_indexes = true;
    bool descending_indexes = true;
    bool comments = true;
    bool native_enums = true;
    bool concurrent_indexes = false;
    bool advisory_locks = false;
    bool schemas = false;            // namespaces inside one database
    bool index_methods = false;      // USING gin/gist/...
    bool preserves_object_sql = false;  // views/triggers read back as written
    bool rowid_tables = false;       // tables have a rowid (WITHOUT ROWID means something)
    bool embedded = false;           // the engine runs in this process (work is ours, not a server's)
    std::size_t max_identifier_length = 0;  // 0: no limit
};

// One statement of a plan. Guards (expect_no_rows) fail the step when they return a row.
struct Statement {
    enum class Phase { before_transaction, transaction, after_transaction };
    std::string sql;
    Phase phase = Phase::transaction;
    bool expect_no_rows = false;
    std::string guard_message;       // the error when a guard returns rows
    bool needs_no_transaction = false;  // e.g. CREATE INDEX CONCURRENTLY
    std::string comment;             // printed above the statement in offline SQL

    static Statement plain(std::string sql) { return Statement{std::move(sql)}; }
};

struct ConnectOptions {
    std::chrono::milliseconds busy_timeout{60'000};  // SQLite: wait for a locked file
    bool read_only = false;
};

class Dialect {
public:
    virtual ~Dialect() = default;
    Dialect() = default;
    Dialect(const Dialect&) = delete;
    Dialect& operator=(const Dialect&) = delete;

    [[nodiscard]] virtual std::string_view name() const noexcept = 0;
    [[nodiscard]] virtual const Capabilities& capabilities() const noexcept = 0;

    // Connections: the URL schemes this dialect serves, and opening one.
    [[nodiscard]] virtual bool accepts(const Url& url) const = 0;
    [[nodiscard]] virtual std::unique_ptr<Session> open(const Url& url, const ConnectOptions& options) const = 0;

    // Rendering. Every identifier goes through quote(), every literal through render_literal().
    [[nodiscard]] virtual std::string quote(std::string_view identifier) const = 0;
    [[nodiscard]] virtual std::string render_type(const Type& type) const = 0;
    [[nodiscard]] virtual std::string render_literal(const Value& value) const = 0;
    [[nodiscard]] virtual std::string render_default(const Column& column) const = 0;
    // The statements of one op, given the schema just before it (the SQLite rebuild
    // needs the whole table). Throws ModelError for an op this dialect cannot run.
    [[nodiscard]] virtual std::vector<Statement> render(const Op& op, const Schema& before) const = 0;
    // The statements of a step's ops in order; `state` is the schema before the
    // first op and is advanced past each (a backend may merge ops, e.g. one
    // SQLite rebuild for several changes to one table).
    [[nodiscard]] virtual std::vector<Statement> render_step(std::span<const Op> ops, Schema& state) const = 0;
    // Everything a fresh setup creates, in dependency order.
    [[nodiscard]] virtual std::vector<Statement> create_all(const Schema& schema) const = 0;

    // The model as this dialect stores it, i.e. what inspect() returns after
    // creating it: dropped features it lacks, its own type spellings.
    [[nodiscard]] virtual Schema canonical(const Schema& model) const = 0;
    // Model problems specific to this dialect (type it cannot express, long names, ...).
    [[nodiscard]] virtual std::vector<std::string> check_model(const Schema& model) const = 0;

    // Reads the live schema of the session's database (strata's own tables excluded).
    [[nodiscard]] virtual Schema inspect(Session& session) const = 0;
};

}  // namespace strata
