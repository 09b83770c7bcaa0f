// The builders' non-template parts: standalone columns and a step's tables.
#include "strata/builders.hpp"

namespace strata {

ColumnSpec::ColumnSpec(std::string name, Type type)
{
    column_.name = std::move(name);
    column_.type = std::move(type);
    column_.nullable = false;
}

namespace col {
ColumnSpec smallint(std::string name) { return {std::move(name), Type::smallint()}; }
ColumnSpec integer(std::string name) { return {std::move(name), Type::integer()}; }
ColumnSpec bigint(std::string name) { return {std::move(name), Type::bigint()}; }
ColumnSpec boolean(std::string name) { return {std::move(name), Type::boolean()}; }
ColumnSpec real(std::string name) { return {std::move(name), Type::real()}; }
ColumnSpec double_precision(std::string name) { return {std::move(name), Type::double_precision()}; }
ColumnSpec numeric(std::string name, int precision, int scale) { return {std::move(name), Type::numeric(precision, scale)}; }
ColumnSpec text(std::string name) { return {std::move(name), Type::text()}; }
ColumnSpec varchar(std::string name, int length) { return {std::move(name), Type::varchar(length)}; }
ColumnSpec blob(std::string name) { return {std::move(name), Type::blob()}; }
ColumnSpec timestamp(std::string name) { return {std::move(name), Type::timestamp()}; }
ColumnSpec timestamptz(std::string name) { return {std::move(name), Type::timestamptz()}; }
ColumnSpec date(std::string name) { return {std::move(name), Type::date()}; }
ColumnSpec json(std::string name) { return {std::move(name), Type::json()}; }
ColumnSpec uuid(std::string name) { return {std::move(name), Type::uuid()}; }
ColumnSpec of(std::string name, Type type) { return {std::move(name), std::move(type)}; }
}  // namespace col

TableBuilder<void> table(std::string name)
{
    auto schema = std::make_shared<Schema>();
    schema->table(std::move(name));
    return TableBuilder<void>(std::move(schema));
}

}  // namespace strata
