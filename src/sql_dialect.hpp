// SqlDialect: the common rendering every backend starts from. PostgreSQL is the
// baseline (standard SQL); a backend overrides only what differs.
#pragma once

#include "strata/dialect.hpp"

#include <span>
#include <string>
#include <vector>

namespace strata::detail {

// strata's own tables (version history, lease), never part of a user's schema.
[[nodiscard]] bool is_internal_table(std::string_view name) noexcept;

class SqlDialect : public Dialect {
public:
    [[nodiscard]] std::string quote(std::string_view identifier) const override;
    [[nodiscard]] std::string render_literal(const Value& value) const override;
    [[nodiscard]] std::string render_default(const Column& column) const override;
    [[nodiscard]] std::vector<Statement> render(const Op& op, const Schema& before) const override;
    [[nodiscard]] std::vector<Statement> create_all(const Schema& schema) const override;
    [[nodiscard]] Schema canonical(const Schema& model) const override;
    [[nodiscard]] std::vector<std::string> check_model(const Schema& model) const override;
    [[nodiscard]] std::vector<Statement> drop_all(const Schema& live) const override;

    [[nodiscard]] std::vector<Statement> render_step(std::span<const Op> ops, Schema& state) const override;

    // Tables in an order where each one's foreign keys point at earlier tables
    // (or itself) wherever the references allow; cycles keep declaration order.
    [[nodiscard]] static std::vector<const Table*> dependency_order(const Schema& schema);

    // The objects in the order a fresh setup creates them, around the tables:
    // types and functions that need no table first, then (after the tables)
    // functions taking a table's row type, views in the order they read each
    // other, and what lives on a relation. Reversed, the order to drop them.
    struct ObjectOrder {
        std::vector<const SqlObject*> before_tables;
        std::vector<const SqlObject*> after_tables;
    };
    [[nodiscard]] static ObjectOrder object_order(const Schema& schema);
    // CREATE, then COMMENT ON when the object has a comment.
    [[nodiscard]] std::vector<Statement> create_object(const SqlObject& object, const Schema& schema) const;
    // "VIEW v", "TRIGGER t ON tbl": how DROP and COMMENT ON name the object.
    [[nodiscard]] std::string object_reference(const SqlObject& object) const;

    // Pieces, shared by the backends.
    [[nodiscard]] std::string column_list(const std::vector<std::string>& columns) const;
    [[nodiscard]] virtual std::string column_definition(const Column& column, const Table& table) const;
    // " NOT VALID" for a constraint added so, where the engine has it.
    [[nodiscard]] std::string not_valid(bool asked) const;
    [[nodiscard]] virtual std::string create_table_sql(const Table& table) const;
    [[nodiscard]] std::string foreign_key_clause(const ForeignKey& fk) const;
    [[nodiscard]] std::string index_elements(const Index& index) const;
    [[nodiscard]] virtual std::string create_index_sql(const std::string& table, const Index& index,
                                                       bool concurrently) const;
    // Table-level constraint lines of CREATE TABLE ("CONSTRAINT ... PRIMARY KEY (...)").
    [[nodiscard]] virtual std::vector<std::string> table_constraint_lines(const Table& table) const;

protected:
    // The table as this dialect stores it (types, dropped features); `schema` gives
    // context such as native enum labels.
    virtual void canonicalize_table(Table& table, const Schema& schema) const;
    virtual void canonicalize_objects(Schema& schema) const;

    // One virtual per op. The defaults are standard SQL.
    virtual std::vector<Statement> on(const CreateTable& op, const Schema& before) const;
    virtual std::vector<Statement> on(const DropTable& op, const Schema& before) const;
    virtual std::vector<Statement> on(const RenameTable& op, const Schema& before) const;
    virtual std::vector<Statement> on(const AddColumn& op, const Schema& before) const;
    virtual std::vector<Statement> on(const DropColumn& op, const Schema& before) const;
    virtual std::vector<Statement> on(const RenameColumn& op, const Schema& before) const;
    virtual std::vector<Statement> on(const AlterColumn& op, const Schema& before) const = 0;
    virtual std::vector<Statement> on(const CreateIndex& op, const Schema& before) const;
    virtual std::vector<Statement> on(const DropIndex& op, const Schema& before) const;
    virtual std::vector<Statement> on(const AddForeignKey& op, const Schema& before) const;
    virtual std::vector<Statement> on(const DropForeignKey& op, const Schema& before) const;
    virtual std::vector<Statement> on(const AddUnique& op, const Schema& before) const;
    virtual std::vector<Statement> on(const DropUnique& op, const Schema& before) const;
    virtual std::vector<Statement> on(const AddCheck& op, const Schema& before) const;
    virtual std::vector<Statement> on(const DropCheck& op, const Schema& before) const;
    virtual std::vector<Statement> on(const ValidateConstraint& op, const Schema& before) const;
    virtual std::vector<Statement> on(const Backfill& op, const Schema& before) const;
    virtual std::vector<Statement> on(const NextPhase& op, const Schema& before) const;
    virtual std::vector<Statement> on(const AddExclusion& op, const Schema& before) const;
    virtual std::vector<Statement> on(const DropExclusion& op, const Schema& before) const;
    virtual std::vector<Statement> on(const SetRowSecurity& op, const Schema& before) const;
    virtual std::vector<Statement> on(const AttachPartition& op, const Schema& before) const;
    virtual std::vector<Statement> on(const DetachPartition& op, const Schema& before) const;
    virtual std::vector<Statement> on(const CreateObject& op, const Schema& before) const;
    virtual std::vector<Statement> on(const DropObject& op, const Schema& before) const;
    virtual std::vector<Statement> on(const ExecuteSql& op, const Schema& before) const;
    virtual std::vector<Statement> on(const DataCode& op, const Schema& before) const;

    // Statements that follow CREATE TABLE (comments on PostgreSQL).
    [[nodiscard]] virtual std::vector<Statement> after_create_table(const Table& table) const;
};

}  // namespace strata::detail
