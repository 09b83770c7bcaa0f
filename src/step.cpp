// Declaring steps: TableSpec, Ops, DataCode, and the step checksum.
#include "json_output.hpp"
#include "sha256.hpp"
#include "strata/errors.hpp"
#include "strata/upgrader.hpp"
#include "text.hpp"

namespace strata {

TableSpec::TableSpec(std::string name)
{
    schema_.table(std::move(name));
}

TableSpec& TableSpec::column(Column column)
{
    schema_.tables.front().columns.push_back(std::move(column));
    return *this;
}

TableSpec& TableSpec::primary_key(std::vector<std::string> columns, std::string name)
{
    TableBuilder<void>(schema_, 0).primary_key(std::move(columns), std::move(name));
    return *this;
}

TableSpec& TableSpec::unique(std::vector<std::string> columns, std::string name)
{
    TableBuilder<void>(schema_, 0).unique(std::move(columns), std::move(name));
    return *this;
}

TableSpec& TableSpec::foreign_key(std::vector<std::string> columns, std::string ref_table,
                                  std::vector<std::string> ref_columns, FkAction on_delete, FkAction on_update,
                                  std::string name)
{
    TableBuilder<void>(schema_, 0).foreign_key(std::move(columns), std::move(ref_table), std::move(ref_columns),
                                               on_delete, on_update, std::move(name));
    return *this;
}

TableSpec& TableSpec::check(std::string expression, std::string name)
{
    TableBuilder<void>(schema_, 0).check(std::move(expression), std::move(name));
    return *this;
}

TableSpec& TableSpec::index(std::string name, std::vector<IndexElement> elements, IndexOptions options)
{
    TableBuilder<void>(schema_, 0).index(std::move(name), std::move(elements), std::move(options));
    return *this;
}

TableSpec& TableSpec::comment(std::string text)
{
    schema_.tables.front().comment = std::move(text);
    return *this;
}

TableSpec table(std::string name)
{
    return TableSpec(std::move(name));
}

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
Ops& Ops::add_foreign_key(std::string table, ForeignKey foreign_key)
{
    if (foreign_key.name.empty()) {
        auto parts = foreign_key.columns;
        parts.push_back(foreign_key.ref_table);
        foreign_key.name = detail::convention_name("fk", table, parts);
    }
    return op(AddForeignKey{std::move(table), std::move(foreign_key)});
}
Ops& Ops::drop_foreign_key(std::string table, std::string name, std::optional<ForeignKey> definition)
{
    return op(DropForeignKey{std::move(table), std::move(name), std::move(definition)});
}
Ops& Ops::add_unique(std::string table, UniqueConstraint unique)
{
    if (unique.name.empty())
        unique.name = detail::convention_name("uq", table, unique.columns);
    return op(AddUnique{std::move(table), std::move(unique)});
}
Ops& Ops::drop_unique(std::string table, std::string name, std::optional<UniqueConstraint> definition)
{
    return op(DropUnique{std::move(table), std::move(name), std::move(definition)});
}
Ops& Ops::add_check(std::string table, CheckConstraint check)
{
    if (check.name.empty())
        check.name = detail::convention_name("ck", table, {detail::hex64(detail::fnv1a64(check.expression)).substr(0, 8)});
    return op(AddCheck{std::move(table), std::move(check)});
}
Ops& Ops::drop_check(std::string table, std::string name, std::optional<CheckConstraint> definition)
{
    return op(DropCheck{std::move(table), std::move(name), std::move(definition)});
}
Ops& Ops::create_view(std::string name, std::string select_sql)
{
    SqlObject o;
    o.kind = ObjectKind::view;
    o.name = std::move(name);
    o.definition[""] = std::move(select_sql);
    return op(CreateObject{std::move(o)});
}
Ops& Ops::create_object(SqlObject object) { return op(CreateObject{std::move(object)}); }
Ops& Ops::drop_object(ObjectKind kind, std::string name, std::optional<SqlObject> definition)
{
    return op(DropObject{kind, std::move(name), std::move(definition)});
}
Ops& Ops::execute(std::string sql, std::string down_sql)
{
    ExecuteSql e;
    e.sql[""] = std::move(sql);
    if (!down_sql.empty())
        e.down[""] = std::move(down_sql);
    return op(std::move(e));
}
Ops& Ops::execute(std::map<std::string, std::string> sql, std::map<std::string, std::string> down_sql)
{
    return op(ExecuteSql{std::move(sql), std::move(down_sql)});
}
Ops& Ops::run(DataCode code)
{
    return op(RunCode{std::move(code.revision), std::move(code.up), std::move(code.down)});
}

bool Step::skipped_on_fresh() const
{
    if (on_fresh)
        return false;
    if (covered_by_model)
        return true;
    return std::all_of(ops.begin(), ops.end(), [](const Op& op) { return is_model_expressible(op); });
}

namespace {

using nlohmann::json;

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

// Raw SQL compares by its words, not its layout: reindenting a step keeps its checksum.
std::string normalized_sql(const std::string& sql)
{
    std::string out;
    bool space = false;
    for (char c : sql) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    while (!out.empty() && out.back() == ';')
        out.pop_back();
    return out;
}

json normalized_sql_map(const std::map<std::string, std::string>& m)
{
    json out = json::object();
    for (const auto& [dialect, sql] : m)
        out[dialect] = normalized_sql(sql);
    return out;
}

template <class T, class F>
json optional_json(const std::optional<T>& v, F f)
{
    return v ? f(*v) : json(nullptr);
}

json canonical(const Op& op)
{
    using namespace detail;
    return std::visit(
        Overloaded{
            [](const CreateTable& o) { return json{{"op", "create_table"}, {"table", table_json(o.table)}}; },
            [](const DropTable& o) {
                return json{{"op", "drop_table"}, {"table", o.table}, {"definition", optional_json(o.definition, table_json)}};
            },
            [](const RenameTable& o) { return json{{"op", "rename_table"}, {"from", o.from}, {"to", o.to}}; },
            [](const AddColumn& o) { return json{{"op", "add_column"}, {"table", o.table}, {"column", column_json(o.column)}}; },
            [](const DropColumn& o) {
                return json{{"op", "drop_column"}, {"table", o.table}, {"column", o.column},
                            {"definition", optional_json(o.definition, column_json)}};
            },
            [](const RenameColumn& o) {
                return json{{"op", "rename_column"}, {"table", o.table}, {"from", o.from}, {"to", o.to}};
            },
            [](const AlterColumn& o) {
                return json{{"op", "alter_column"}, {"table", o.table}, {"from", column_json(o.from)}, {"to", column_json(o.to)}};
            },
            [](const CreateIndex& o) {
                return json{{"op", "create_index"}, {"table", o.table}, {"index", index_json(o.index)}, {"concurrently", o.concurrently}};
            },
            [](const DropIndex& o) {
                return json{{"op", "drop_index"}, {"table", o.table}, {"name", o.name},
                            {"definition", optional_json(o.definition, index_json)}, {"concurrently", o.concurrently}};
            },
            [](const AddForeignKey& o) {
                return json{{"op", "add_foreign_key"}, {"table", o.table}, {"foreign_key", foreign_key_json(o.foreign_key)}};
            },
            [](const DropForeignKey& o) {
                return json{{"op", "drop_foreign_key"}, {"table", o.table}, {"name", o.name},
                            {"definition", optional_json(o.definition, foreign_key_json)}};
            },
            [](const AddUnique& o) {
                return json{{"op", "add_unique"}, {"table", o.table}, {"name", o.unique.name}, {"columns", o.unique.columns}};
            },
            [](const DropUnique& o) {
                return json{{"op", "drop_unique"}, {"table", o.table}, {"name", o.name},
                            {"definition", optional_json(o.definition, [](const UniqueConstraint& u) {
                                 return json{{"name", u.name}, {"columns", u.columns}};
                             })}};
            },
            [](const AddCheck& o) {
                return json{{"op", "add_check"}, {"table", o.table}, {"name", o.check.name}, {"expression", o.check.expression}};
            },
            [](const DropCheck& o) {
                return json{{"op", "drop_check"}, {"table", o.table}, {"name", o.name},
                            {"definition", optional_json(o.definition, [](const CheckConstraint& c) {
                                 return json{{"name", c.name}, {"expression", c.expression}};
                             })}};
            },
            [](const CreateObject& o) { return json{{"op", "create_object"}, {"object", object_json(o.object)}}; },
            [](const DropObject& o) {
                return json{{"op", "drop_object"}, {"kind", to_string(o.kind)}, {"name", o.name},
                            {"definition", optional_json(o.definition, object_json)}};
            },
            [](const ExecuteSql& o) {
                return json{{"op", "execute"}, {"sql", normalized_sql_map(o.sql)}, {"down", normalized_sql_map(o.down)}};
            },
            [](const RunCode& o) { return json{{"op", "run"}, {"revision", o.revision}, {"down", static_cast<bool>(o.down)}}; },
        },
        op);
}

}  // namespace

std::string checksum(const Step& step)
{
    // The prefix names the serialisation: a later release that changes it adds "2:"
    // and keeps computing "1:" for records written with it.
    std::string text = "strata-step-1\n";
    for (const auto& op : step.ops)
        text += canonical(op).dump() + "\n";
    if (step.down) {
        text += "down\n";
        for (const auto& op : *step.down)
            text += canonical(op).dump() + "\n";
    }
    if (step.no_transaction)
        text += "no_transaction\n";
    return "1:" + detail::sha256_hex(text).substr(0, 32);
}

}  // namespace strata
