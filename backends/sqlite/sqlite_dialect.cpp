// The SQLite dialect: type names, literals, column definitions, and which ops
// SQLite can run in place (the others become a table rebuild).
#include "sqlite_dialect.hpp"

#include "sql_tokenizer.hpp"
#include "strata/errors.hpp"
#include "strata/session.hpp"
#include "strata/url.hpp"
#include "text.hpp"

#include <algorithm>

namespace strata::sqlite {

const Capabilities& SqliteDialect::capabilities() const noexcept
{
    static const Capabilities caps = [] {
        Capabilities c;
        c.alter_constraints = false;
        c.comments = false;
        c.native_enums = false;
        c.concurrent_indexes = false;
        c.index_methods = false;
        c.preserves_object_sql = true;
        c.rowid_tables = true;
        c.embedded = true;
        c.concurrent_writers = false;  // one writer at a time, per database file
        c.max_identifier_length = 0;
        return c;
    }();
    return caps;
}

std::string SqliteDialect::render_type(const Type& t) const
{
    if (!t.declared.empty())
        return t.declared;
    switch (t.kind) {
    case TypeKind::smallint: return "SMALLINT";
    case TypeKind::integer: return "INTEGER";
    case TypeKind::bigint: return "BIGINT";
    case TypeKind::boolean: return "BOOLEAN";
    case TypeKind::real: return "REAL";
    case TypeKind::double_: return "DOUBLE PRECISION";
    case TypeKind::numeric:
        return t.precision ? "NUMERIC(" + std::to_string(t.precision) + ", " + std::to_string(t.scale) + ")" : "NUMERIC";
    case TypeKind::text: return "TEXT";
    case TypeKind::varchar: return t.length ? "VARCHAR(" + std::to_string(t.length) + ")" : "VARCHAR";
    case TypeKind::blob: return "BLOB";
    case TypeKind::timestamp: return "TIMESTAMP";
    case TypeKind::timestamptz: return "TIMESTAMPTZ";
    case TypeKind::date: return "DATE";
    // "JSON" and "UUID" alone would give NUMERIC affinity, and SQLite would turn
    // '1.50' into 1.5 on insert; the TEXT word keeps values as written.
    case TypeKind::json: return "JSON TEXT";
    case TypeKind::uuid: return "UUID TEXT";
    case TypeKind::enum_: return "TEXT";
    case TypeKind::custom: return t.name;
    }
    return "TEXT";
}

std::string SqliteDialect::render_literal(const Value& value) const
{
    // SQLite has no boolean storage class: TRUE is 1.
    if (auto b = std::get_if<bool>(&value))
        return *b ? "1" : "0";
    return SqlDialect::render_literal(value);
}

bool is_rowid_alias(const Table& t, const Column& c)
{
    return !t.without_rowid && t.primary_key && t.primary_key->columns.size() == 1 &&
           t.primary_key->columns[0] == c.name && c.type.is_integer();
}

std::string SqliteDialect::column_definition(const Column& c, const Table& t) const
{
    // Only a column declared exactly INTEGER aliases the rowid (BIGINT PRIMARY KEY
    // would be a second, slower key and ignore AUTOINCREMENT).
    std::string out = quote(c.name) + " " +
                      (is_rowid_alias(t, c) && c.type.declared.empty() ? std::string("INTEGER") : render_type(c.type));
    if (!c.nullable)
        out += " NOT NULL";
    if (c.autoincrement && is_rowid_alias(t, c))
        out += (t.primary_key->name.empty() ? std::string() : " CONSTRAINT " + quote(t.primary_key->name)) +
               " PRIMARY KEY AUTOINCREMENT";
    if (!c.collation.empty()) {
        bool word = std::all_of(c.collation.begin(), c.collation.end(),
                                [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; });
        out += " COLLATE " + (word ? c.collation : quote(c.collation));
    }
    if (c.generated)
        out += " GENERATED ALWAYS AS (" + c.generated->expression + ")" + (c.generated->stored ? " STORED" : " VIRTUAL");
    if (c.default_value)
        out += " DEFAULT " + render_default(c);
    return out;
}

std::vector<std::string> SqliteDialect::table_constraint_lines(const Table& t) const
{
    Table copy = t;
    // AUTOINCREMENT lives on the column: the key is declared there.
    if (copy.primary_key && copy.primary_key->columns.size() == 1)
        if (const auto* c = copy.find_column(copy.primary_key->columns[0]); c && c->autoincrement && is_rowid_alias(copy, *c))
            copy.primary_key.reset();
    auto lines = SqlDialect::table_constraint_lines(copy);
    return lines;
}

std::string SqliteDialect::create_table_sql(const Table& t) const
{
    auto sql = SqlDialect::create_table_sql(t);
    if (t.strict)
        sql += t.without_rowid ? " STRICT," : " STRICT";
    if (t.without_rowid)
        sql += " WITHOUT ROWID";
    return sql;
}

void SqliteDialect::canonicalize_table(Table& t, const Schema& schema) const
{
    SqlDialect::canonicalize_table(t, schema);
    // A rowid alias is a 64-bit integer whatever the model's width, and the rowid
    // is SQLite's only way of numbering rows.
    for (auto& c : t.columns) {
        if (is_rowid_alias(t, c))
            c.type = Type::bigint();
        c.autoincrement_style = AutoincrementStyle::identity;
    }
}

std::vector<Statement> SqliteDialect::create_script(const Schema& schema) const
{
    // sqlite3 has no single-transaction switch: the script is one transaction of its own.
    std::vector<Statement> out{Statement::plain("BEGIN")};
    auto rest = create_all(schema);
    out.insert(out.end(), std::make_move_iterator(rest.begin()), std::make_move_iterator(rest.end()));
    out.push_back(Statement::plain("COMMIT"));
    return out;
}

std::vector<std::string> SqliteDialect::check_model(const Schema& model) const
{
    auto problems = SqlDialect::check_model(model);
    for (const auto& t : model.tables) {
        for (const auto& c : t.columns) {
            if (c.type.kind != TypeKind::custom)
                continue;
            // SQLite's type-name: words, optionally followed by (n) or (n, m).
            auto tokens = detail::tokenize(c.type.name, {.dollar_quotes = false});
            bool ok = !tokens.empty();
            std::size_t i = 0;
            while (i < tokens.size() && tokens[i].kind == detail::TokenKind::word)
                ++i;
            ok = ok && i > 0;
            if (ok && i < tokens.size()) {
                ok = tokens[i].is_punct('(') && tokens.back().is_punct(')');
                for (std::size_t j = i + 1; ok && j + 1 < tokens.size(); ++j)
                    ok = tokens[j].kind == detail::TokenKind::number || tokens[j].is_punct(',') ||
                         (tokens[j].kind == detail::TokenKind::op && (tokens[j].text == "-" || tokens[j].text == "+"));
            }
            if (!ok)
                problems.push_back("table '" + t.name + "': column '" + c.name + "': type '" + c.type.name +
                                   "' cannot be expressed on SQLite: use a portable type or give words like "
                                   "\"INET\" or \"CHAR(10)\"");
        }
    }
    return problems;
}

namespace {

bool depends_on_column(const Table& t, const std::string& column)
{
    auto mentions = [&](const std::string& expression) {
        for (const auto& tok : detail::tokenize(expression, {.brackets = false}))
            if ((tok.kind == detail::TokenKind::word && detail::iequals(tok.text, column)) ||
                (tok.kind == detail::TokenKind::quoted_identifier && detail::unquote_identifier(tok.text) == column))
                return true;
        return false;
    };
    auto in = [&](const std::vector<std::string>& v) { return std::find(v.begin(), v.end(), column) != v.end(); };
    if (t.primary_key && in(t.primary_key->columns))
        return true;
    for (const auto& u : t.uniques)
        if (in(u.columns))
            return true;
    for (const auto& fk : t.foreign_keys)
        if (in(fk.columns))
            return true;
    for (const auto& ck : t.checks)
        if (mentions(ck.expression))
            return true;
    for (const auto& ix : t.indexes) {
        for (const auto& e : ix.elements)
            if (e.column == column || (!e.expression.empty() && mentions(e.expression)))
                return true;
        if (!ix.where.empty() && mentions(ix.where))
            return true;
    }
    for (const auto& c : t.columns)
        if (c.generated && c.name != column && mentions(c.generated->expression))
            return true;
    return false;
}

}  // namespace

std::string SqliteDialect::rebuild_reason(const Op& op, const Schema& before) const
{
    if (const auto* o = std::get_if<AddColumn>(&op)) {
        const auto& c = o->column;
        if (!c.nullable && (!c.default_value || (c.default_value->kind == Default::Kind::literal && is_null(c.default_value->value))))
            return "SQLite cannot add a NOT NULL column without a default in place";
        if (c.default_value && c.default_value->kind != Default::Kind::literal)
            return "SQLite cannot add a column whose default is an expression";
        if (c.generated && c.generated->stored)
            return "SQLite cannot add a STORED generated column";
        if (c.type.kind == TypeKind::enum_)
            return "the enum's CHECK constraint needs the table rebuilt";
        return "";
    }
    if (const auto* o = std::get_if<DropColumn>(&op)) {
        if (const auto* t = before.find_table(o->table); t && depends_on_column(*t, o->column))
            return "a key, index, constraint or generated column uses the column";
        return "";
    }
    if (std::holds_alternative<AlterColumn>(op))
        return "SQLite cannot alter a column in place";
    if (std::holds_alternative<AddForeignKey>(op) || std::holds_alternative<DropForeignKey>(op) ||
        std::holds_alternative<AddUnique>(op) || std::holds_alternative<DropUnique>(op) ||
        std::holds_alternative<AddCheck>(op) || std::holds_alternative<DropCheck>(op))
        return "SQLite cannot add or drop a table constraint in place";
    return "";
}

// Renaming stays out: RENAME COLUMN in place also rewrites views and triggers.
const std::string* rebuilt_table(const Op& op)
{
    return std::visit(
        [](const auto& o) -> const std::string* {
            using T = std::decay_t<decltype(o)>;
            if constexpr (std::is_same_v<T, AddColumn> || std::is_same_v<T, DropColumn> ||
                          std::is_same_v<T, AlterColumn> ||
                          std::is_same_v<T, AddForeignKey> || std::is_same_v<T, DropForeignKey> ||
                          std::is_same_v<T, AddUnique> || std::is_same_v<T, DropUnique> ||
                          std::is_same_v<T, AddCheck> || std::is_same_v<T, DropCheck> ||
                          std::is_same_v<T, CreateIndex> || std::is_same_v<T, DropIndex>)
                return &o.table;
            else
                return nullptr;
        },
        op);
}

std::vector<Statement> SqliteDialect::render_step(std::span<const Op> ops, Schema& state) const
{
    std::vector<Statement> out;
    std::size_t i = 0;
    while (i < ops.size()) {
        if (rebuild_reason(ops[i], state).empty()) {
            auto statements = render(ops[i], state);
            out.insert(out.end(), std::make_move_iterator(statements.begin()), std::make_move_iterator(statements.end()));
            apply(state, ops[i]);
            ++i;
            continue;
        }
        // One rebuild for the whole run of changes to this table: a type change
        // and a column drop copy the rows once, not twice.
        const std::string table = *rebuilt_table(ops[i]);
        std::size_t j = i;
        while (j < ops.size()) {
            // A phase boundary and a validation are nothing here: the rebuild goes on over them.
            if (std::holds_alternative<NextPhase>(ops[j]) || std::holds_alternative<ValidateConstraint>(ops[j])) {
                ++j;
                continue;
            }
            const auto* t = rebuilt_table(ops[j]);
            if (!t || *t != table)
                break;
            const auto* index_op = std::get_if<CreateIndex>(&ops[j]);
            if (index_op && index_op->concurrently)
                break;
            ++j;
        }
        auto statements = rebuild(ops.subspan(i, j - i), state);
        out.insert(out.end(), std::make_move_iterator(statements.begin()), std::make_move_iterator(statements.end()));
        for (std::size_t k = i; k < j; ++k)
            apply(state, ops[k]);
        i = j;
    }
    return out;
}

std::vector<Statement> SqliteDialect::on(const AddColumn& op, const Schema& before) const
{
    if (!rebuild_reason(op, before).empty())
        return rebuild_one(op, before);
    return SqlDialect::on(op, before);
}

std::vector<Statement> SqliteDialect::on(const DropColumn& op, const Schema& before) const
{
    if (!rebuild_reason(op, before).empty())
        return rebuild_one(op, before);
    return SqlDialect::on(op, before);
}

std::vector<Statement> SqliteDialect::on(const AlterColumn& op, const Schema& before) const
{
    return rebuild_one(op, before);
}

std::vector<Statement> SqliteDialect::on(const AddForeignKey& op, const Schema& before) const
{
    return rebuild_one(op, before);
}

std::vector<Statement> SqliteDialect::on(const DropForeignKey& op, const Schema& before) const
{
    return rebuild_one(op, before);
}

std::vector<Statement> SqliteDialect::on(const AddUnique& op, const Schema& before) const
{
    return rebuild_one(op, before);
}

std::vector<Statement> SqliteDialect::on(const DropUnique& op, const Schema& before) const
{
    return rebuild_one(op, before);
}

std::vector<Statement> SqliteDialect::on(const AddCheck& op, const Schema& before) const
{
    return rebuild_one(op, before);
}

std::vector<Statement> SqliteDialect::on(const DropCheck& op, const Schema& before) const
{
    return rebuild_one(op, before);
}

Schema SqliteDialect::inspect_tables(Session& session, const std::vector<std::string>& tables) const
{
    if (session.dialect().name() != name())
        throw Error(ErrorCode::usage, "the SQLite dialect cannot inspect a " + std::string(session.dialect().name()) + " session");
    return read_schema(static_cast<sqlite3*>(session.native_handle()), &tables);
}

Schema SqliteDialect::inspect(Session& session) const
{
    if (session.dialect().name() != name())
        throw Error(ErrorCode::usage, "the SQLite dialect cannot inspect a " + std::string(session.dialect().name()) + " session");
    return read_schema(static_cast<sqlite3*>(session.native_handle()));
}

const SqliteDialect& instance()
{
    static const SqliteDialect dialect;
    return dialect;
}

const Dialect& dialect()
{
    return instance();
}

}  // namespace strata::sqlite
