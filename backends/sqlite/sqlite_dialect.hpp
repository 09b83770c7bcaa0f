// The SQLite dialect: rendering, rebuilds, introspection (private to the backend).
#pragma once

#include "sql_dialect.hpp"

struct sqlite3;

namespace strata::sqlite {

class SqliteDialect final : public detail::SqlDialect {
public:
    [[nodiscard]] std::string_view name() const noexcept override { return "sqlite"; }
    [[nodiscard]] const Capabilities& capabilities() const noexcept override;
    [[nodiscard]] std::span<const std::string_view> url_schemes() const noexcept override;
    [[nodiscard]] std::string_view url_forms() const noexcept override;
    void complete_url(Url& url, std::string_view rest, const std::string& text) const override;
    [[nodiscard]] Url create_scratch(const Url& like, const std::string& name) const override;
    void drop_scratch(const Url& like, const Url& scratch) const noexcept override;
    [[nodiscard]] std::unique_ptr<Session> open(const Url& url, const ConnectOptions& options) const override;

    [[nodiscard]] std::string render_type(const Type& type) const override;
    [[nodiscard]] std::string render_literal(const Value& value) const override;
    [[nodiscard]] std::string column_definition(const Column& column, const Table& table) const override;
    [[nodiscard]] std::vector<std::string> table_constraint_lines(const Table& table) const override;
    [[nodiscard]] std::string create_table_sql(const Table& table) const override;
    [[nodiscard]] std::vector<Statement> render_step(std::span<const Op> ops, Schema& state) const override;
    [[nodiscard]] std::vector<Statement> create_script(const Schema& schema) const override;
    [[nodiscard]] std::vector<std::string> check_model(const Schema& model) const override;
    [[nodiscard]] Schema inspect(Session& session) const override;
    [[nodiscard]] Schema inspect_tables(Session& session, const std::vector<std::string>& tables) const override;

    void prepare_migration_session(Session& session, std::chrono::seconds lock_timeout) const override;
    [[nodiscard]] std::unique_ptr<MigrationLock> advisory_lock(Session& session, std::chrono::seconds timeout) const override;
    [[nodiscard]] bool table_exists(Session& session, std::string_view table) const override;
    [[nodiscard]] bool has_tables(Session& session) const override;
    [[nodiscard]] IndexState index_state(Session& session, std::string_view index) const override;
    [[nodiscard]] std::string epoch_seconds_sql() const override;
    [[nodiscard]] bool renders_from_state(const Op& op) const override;
    [[nodiscard]] TransactionFrame frame(std::span<const Op> ops) const override;
    [[nodiscard]] std::vector<Statement> drop_all(const Schema& live) const override;
    [[nodiscard]] std::unique_ptr<MigrationLock> outside_transaction_lock(Session& session,
                                                                          std::chrono::seconds timeout) const override;
    [[nodiscard]] std::string keep_snapshot(Session& session, long long version, int keep,
                                            const WorkCallback& progress) const override;
    [[nodiscard]] std::optional<std::string> why_read_only(Session& session) const override;
    // A consistent copy of the session's file at `path` (the backup API); false for
    // an in-memory database.
    bool snapshot(Session& session, const std::string& path, const WorkCallback& progress = {}) const;

    // Why an op cannot run in place and needs a table rebuild; empty when it can.
    [[nodiscard]] std::string rebuild_reason(const Op& op, const Schema& before) const;

protected:
    void canonicalize_table(Table& table, const Schema& schema) const override;

    std::vector<Statement> on(const AddColumn& op, const Schema& before) const override;
    std::vector<Statement> on(const DropColumn& op, const Schema& before) const override;
    std::vector<Statement> on(const AlterColumn& op, const Schema& before) const override;
    std::vector<Statement> on(const AddForeignKey& op, const Schema& before) const override;
    std::vector<Statement> on(const DropForeignKey& op, const Schema& before) const override;
    std::vector<Statement> on(const AddUnique& op, const Schema& before) const override;
    std::vector<Statement> on(const DropUnique& op, const Schema& before) const override;
    std::vector<Statement> on(const AddCheck& op, const Schema& before) const override;
    std::vector<Statement> on(const DropCheck& op, const Schema& before) const override;

private:
    // The ops run as one rebuild of their table (see rebuild.cpp).
    std::vector<Statement> rebuild(std::span<const Op> ops, const Schema& before) const;
    template <class T>
    std::vector<Statement> rebuild_one(const T& op, const Schema& before) const
    {
        const Op ops[] = {op};
        return rebuild(ops, before);
    }
};

const SqliteDialect& instance();

// The table an op changes, when a rebuild can fold the op in; nullptr otherwise.
const std::string* rebuilt_table(const Op& op);

// True when the declared type makes the column an alias of the rowid.
bool is_rowid_alias(const Table& table, const Column& column);

// Reads a schema from the CREATE statements SQLite keeps (sqlite_schema.sql);
// with `only`, those tables (their indexes and triggers) and every view.
Schema read_schema(sqlite3* db, const std::vector<std::string>* only = nullptr);

}  // namespace strata::sqlite
