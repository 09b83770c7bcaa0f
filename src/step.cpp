// Declaring steps: Ops and data code.
#include "strata/errors.hpp"
#include "strata/step.hpp"
#include "text.hpp"

namespace strata {

DataCode data(std::string revision, std::function<void(Session&)> up, std::function<void(Session&)> down)
{
    return DataCode{std::move(revision), std::move(up), std::move(down)};
}

Ops& Ops::op(Op op)
{
    ops_.push_back(std::move(op));
    return *this;
}

Ops& Ops::create_table(Table table) { return op(CreateTable{std::move(table)}); }
Ops& Ops::drop_table(std::string table, std::optional<Table> definition)
{
    return op(DropTable{std::move(table), std::move(definition)});
}
Ops& Ops::rename_table(std::string from, std::string to) { return op(RenameTable{std::move(from), std::move(to)}); }
Ops& Ops::add_column(std::string table, Column column) { return op(AddColumn{std::move(table), std::move(column)}); }
Ops& Ops::drop_column(std::string table, std::string column, std::optional<Column> definition)
{
    return op(DropColumn{std::move(table), std::move(column), std::move(definition)});
}
Ops& Ops::rename_column(std::string table, std::string from, std::string to)
{
    return op(RenameColumn{std::move(table), std::move(from), std::move(to)});
}
Ops& Ops::alter_column(std::string table, Column from, Column to)
{
    return op(AlterColumn{std::move(table), std::move(from), std::move(to)});
}
Ops& Ops::create_index(std::string table, Index index, bool concurrently)
{
    return op(CreateIndex{std::move(table), std::move(index), concurrently});
}
Ops& Ops::drop_index(std::string table, std::string name, std::optional<Index> definition, bool concurrently)
{
    return op(DropIndex{std::move(table), std::move(name), std::move(definition), concurrently});
}
Ops& Ops::add_foreign_key(std::string table, ForeignKey foreign_key, bool not_valid)
{
    if (foreign_key.name.empty()) {
        auto parts = foreign_key.columns;
        parts.push_back(foreign_key.ref_table);
        foreign_key.name = detail::convention_name("fk", table, parts);
    }
    return op(AddForeignKey{std::move(table), std::move(foreign_key), not_valid});
}
Ops& Ops::drop_foreign_key(std::string table, std::string name, std::optional<ForeignKey> definition)
{
    return op(DropForeignKey{std::move(table), std::move(name), std::move(definition)});
}
Ops& Ops::add_unique(std::string table, UniqueConstraint unique, std::string using_index)
{
    if (unique.name.empty())
        unique.name = detail::convention_name("uq", table, unique.columns);
    return op(AddUnique{std::move(table), std::move(unique), std::move(using_index)});
}
Ops& Ops::add_unique_concurrently(std::string table, UniqueConstraint unique)
{
    if (unique.name.empty())
        unique.name = detail::convention_name("uq", table, unique.columns);
    Index index;
    index.name = unique.name;
    index.unique = true;
    for (const auto& column : unique.columns)
        index.elements.push_back(IndexElement{column});
    create_index(table, std::move(index), true);
    next_phase();
    const std::string name = unique.name;
    return add_unique(std::move(table), std::move(unique), name);
}
Ops& Ops::set_not_null(std::string table, Column column, std::string check_name)
{
    if (check_name.empty())
        check_name = detail::convention_name("ck", table, {column.name, "not_null"});
    Column nullable = column;
    nullable.nullable = true;
    Column not_null = std::move(column);
    not_null.nullable = false;
    const CheckConstraint check{check_name, detail::double_quoted(not_null.name) + " IS NOT NULL"};
    add_check(table, check, true);
    next_phase();
    validate_constraint(table, check_name);
    next_phase();
    // PostgreSQL (12+) sees that the validated CHECK proves the column holds no NULL and skips the scan.
    alter_column(table, std::move(nullable), std::move(not_null));
    return drop_check(std::move(table), check_name, check);
}
Ops& Ops::next_phase() { return op(NextPhase{}); }
Ops& Ops::drop_unique(std::string table, std::string name, std::optional<UniqueConstraint> definition)
{
    return op(DropUnique{std::move(table), std::move(name), std::move(definition)});
}
Ops& Ops::add_check(std::string table, CheckConstraint check, bool not_valid)
{
    if (check.name.empty())
        check.name = detail::convention_name("ck", table, {detail::hex64(detail::fnv1a64(check.expression)).substr(0, 8)});
    return op(AddCheck{std::move(table), std::move(check), not_valid});
}
Ops& Ops::backfill(std::string table, std::string key, std::string set, std::string where, long long batch_size,
                   std::chrono::milliseconds pause)
{
    return op(Backfill{std::move(table), std::move(key), std::move(set), std::move(where), batch_size, pause});
}
Ops& Ops::validate_constraint(std::string table, std::string name)
{
    return op(ValidateConstraint{std::move(table), std::move(name)});
}
Ops& Ops::drop_check(std::string table, std::string name, std::optional<CheckConstraint> definition)
{
    return op(DropCheck{std::move(table), std::move(name), std::move(definition)});
}

Ops& Ops::add_exclusion(std::string table, ExclusionConstraint exclusion)
{
    return op(AddExclusion{std::move(table), std::move(exclusion)});
}

Ops& Ops::drop_exclusion(std::string table, std::string name, std::optional<ExclusionConstraint> definition)
{
    return op(DropExclusion{std::move(table), std::move(name), std::move(definition)});
}

Ops& Ops::set_row_security(std::string table, RowSecurity to, std::optional<RowSecurity> from)
{
    return op(SetRowSecurity{std::move(table), to, from});
}

Ops& Ops::attach_partition(std::string table, std::string parent, std::string bound)
{
    return op(AttachPartition{std::move(table), std::move(parent), std::move(bound)});
}

Ops& Ops::detach_partition(std::string table, std::string parent, std::optional<std::string> bound)
{
    return op(DetachPartition{std::move(table), std::move(parent), std::move(bound)});
}
Ops& Ops::create_view(std::string name, std::string select_sql)
{
    SqlObject o;
    o.kind = ObjectKind::view;
    o.name = std::move(name);
    o.definition = SqlText(std::move(select_sql));
    return op(CreateObject{std::move(o)});
}
Ops& Ops::create_object(SqlObject object) { return op(CreateObject{std::move(object)}); }
Ops& Ops::drop_object(ObjectKind kind, std::string name, std::optional<SqlObject> definition)
{
    return op(DropObject{kind, std::move(name), std::move(definition)});
}
Ops& Ops::execute(SqlText sql, SqlText down_sql)
{
    return op(ExecuteSql{std::move(sql), std::move(down_sql)});
}
Ops& Ops::run(DataCode code)
{
    return op(std::move(code));
}

bool Step::skipped_on_fresh() const
{
    if (on_fresh)
        return false;
    if (covered_by_model)
        return true;
    return std::all_of(ops.begin(), ops.end(), [](const Op& op) { return is_model_expressible(op); });
}

}  // namespace strata
