// The PostgreSQL dialect: rendering, introspection through pg_catalog (private).
#pragma once

#include "sql_dialect.hpp"

typedef struct pg_conn PGconn;

namespace strata::postgresql {

class PostgresqlDialect final : public detail::SqlDialect {
public:
    [[nodiscard]] std::string_view name() const noexcept override { return "postgresql"; }
    [[nodiscard]] const Capabilities& capabilities() const noexcept override;
    [[nodiscard]] std::span<const std::string_view> url_schemes() const noexcept override;
    [[nodiscard]] std::string_view url_forms() const noexcept override;
    void complete_url(Url& url, std::string_view rest, const std::string& text) const override;
    [[nodiscard]] Url create_scratch(const Url& like, const std::string& name) const override;
    void drop_scratch(const Url& like, const Url& scratch) const noexcept override;
    [[nodiscard]] std::vector<std::pair<std::string, std::string>> client_environment(const Url& url) const override;
    [[nodiscard]] std::unique_ptr<Session> open(const Url& url, const ConnectOptions& options) const override;

    [[nodiscard]] std::string render_type(const Type& type) const override;
    [[nodiscard]] std::string render_literal(const Value& value) const override;
    [[nodiscard]] std::string column_definition(const Column& column, const Table& table) const override;
    [[nodiscard]] std::vector<Statement> create_all(const Schema& schema) const override;
    [[nodiscard]] std::vector<Statement> create_script(const Schema& schema) const override;
    [[nodiscard]] std::vector<std::string> check_model(const Schema& model) const override;
    [[nodiscard]] Schema inspect(Session& session) const override;
    [[nodiscard]] Schema read_back(Session& session, const Schema& canonical) const override;

    void prepare_migration_session(Session& session, std::chrono::seconds lock_timeout) const override;
    [[nodiscard]] std::unique_ptr<MigrationLock> advisory_lock(Session& session, std::chrono::seconds timeout) const override;
    [[nodiscard]] bool table_exists(Session& session, std::string_view table) const override;
    [[nodiscard]] bool has_tables(Session& session) const override;
    [[nodiscard]] IndexState index_state(Session& session, std::string_view index) const override;
    [[nodiscard]] std::string epoch_seconds_sql() const override;
    [[nodiscard]] bool renders_from_state(const Op& op) const override;
    [[nodiscard]] std::vector<Statement> prepare_fresh(const Url& url) const override;
    [[nodiscard]] std::optional<std::string> why_read_only(Session& session) const override;
    [[nodiscard]] std::string lock_wait_bound(std::chrono::milliseconds timeout, bool local) const override;
    [[nodiscard]] std::string lock_holders(Session& session) const override;

protected:
    std::vector<Statement> after_create_table(const Table& table) const override;
    std::vector<Statement> on(const AlterColumn& op, const Schema& before) const override;
    std::vector<Statement> on(const AddColumn& op, const Schema& before) const override;
    std::vector<Statement> on(const DropObject& op, const Schema& before) const override;
};

const PostgresqlDialect& instance();

// Reads the schema named by the session's search_path (current_schema()).
Schema read_schema(PGconn* conn);
// The catalog queries read_schema() sends, in one string with the snapshot's
// BEGIN (the limit strata-bench measures it against).
std::string catalog_read_sql();

}  // namespace strata::postgresql
