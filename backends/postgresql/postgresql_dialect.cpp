// The PostgreSQL dialect: type names, literals, ALTER COLUMN, comments. The
// common rendering is already PostgreSQL's; this file holds what differs.
#include "postgresql_dialect.hpp"

#include "strata/errors.hpp"
#include "strata/session.hpp"
#include "strata/url.hpp"
#include "text.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

namespace strata::postgresql {

const Capabilities& PostgresqlDialect::capabilities() const noexcept
{
    static const Capabilities caps = [] {
        Capabilities c;
        c.alter_constraints = true;
        c.comments = true;
        c.native_enums = true;
        c.extensions = true;
        c.concurrent_indexes = true;
        c.not_valid_constraints = true;
        c.lock_queue = true;
        c.index_methods = true;
        c.table_features = true;
        c.preserves_object_sql = false;  // views and functions come back re-rendered
        c.max_identifier_length = 63;    // NAMEDATALEN - 1
        c.select_for_update = true;
        return c;
    }();
    return caps;
}

std::string PostgresqlDialect::render_type(const Type& t) const
{
    switch (t.kind) {
    case TypeKind::smallint: return "smallint";
    case TypeKind::integer: return "integer";
    case TypeKind::bigint: return "bigint";
    case TypeKind::boolean: return "boolean";
    case TypeKind::real: return "real";
    case TypeKind::double_: return "double precision";
    case TypeKind::numeric:
        return t.precision ? "numeric(" + std::to_string(t.precision) + ", " + std::to_string(t.scale) + ")" : "numeric";
    case TypeKind::text: return "text";
    case TypeKind::varchar: return t.length ? "varchar(" + std::to_string(t.length) + ")" : "varchar";
    case TypeKind::blob: return "bytea";
    case TypeKind::timestamp: return "timestamp";
    case TypeKind::timestamptz: return "timestamp with time zone";
    case TypeKind::date: return "date";
    case TypeKind::json: return "jsonb";
    case TypeKind::uuid: return "uuid";
    case TypeKind::enum_: return quote(t.name);
    case TypeKind::custom: return t.name;
    }
    return "text";
}

std::string PostgresqlDialect::render_literal(const Value& value) const
{
    if (auto b = std::get_if<bool>(&value))
        return *b ? "true" : "false";
    if (auto blob = std::get_if<Blob>(&value))
        return "'\\x" + detail::hex(*blob) + "'::bytea";
    if (auto d = std::get_if<double>(&value); d && (std::isnan(*d) || std::isinf(*d)))
        return "'" + detail::format_double(*d) + "'::double precision";
    return SqlDialect::render_literal(value);
}

std::vector<Statement> PostgresqlDialect::after_create_table(const Table& t) const
{
    std::vector<Statement> out;
    if (!t.comment.empty())
        out.push_back(Statement::plain("COMMENT ON TABLE " + quote(t.name) + " IS " + detail::single_quoted(t.comment)));
    for (const auto& c : t.columns)
        if (!c.comment.empty())
            out.push_back(Statement::plain("COMMENT ON COLUMN " + quote(t.name) + "." + quote(c.name) + " IS " +
                                           detail::single_quoted(c.comment)));
    auto on_constraint = [&](const std::string& name, const std::string& comment) {
        if (!comment.empty() && !name.empty())
            out.push_back(Statement::plain("COMMENT ON CONSTRAINT " + quote(name) + " ON " + quote(t.name) + " IS " +
                                           detail::single_quoted(comment)));
    };
    if (t.primary_key)
        on_constraint(t.primary_key->name, t.primary_key->comment);
    for (const auto& u : t.uniques)
        on_constraint(u.name, u.comment);
    for (const auto& fk : t.foreign_keys)
        on_constraint(fk.name, fk.comment);
    for (const auto& ck : t.checks)
        on_constraint(ck.name, ck.comment);
    for (const auto& x : t.exclusions)
        on_constraint(x.name, x.comment);
    for (const auto& ix : t.indexes)
        if (!ix.comment.empty())
            out.push_back(Statement::plain("COMMENT ON INDEX " + quote(ix.name) + " IS " + detail::single_quoted(ix.comment)));
    if (t.row_security)
        out.push_back(Statement::plain("ALTER TABLE " + quote(t.name) + " ENABLE ROW LEVEL SECURITY"));
    if (t.force_row_security)
        out.push_back(Statement::plain("ALTER TABLE " + quote(t.name) + " FORCE ROW LEVEL SECURITY"));
    return out;
}

std::vector<Statement> PostgresqlDialect::on(const AddColumn& op, const Schema& before) const
{
    auto out = SqlDialect::on(op, before);
    if (!op.column.comment.empty())
        out.push_back(Statement::plain("COMMENT ON COLUMN " + quote(op.table) + "." + quote(op.column.name) + " IS " +
                                       detail::single_quoted(op.column.comment)));
    return out;
}

namespace {

// ALTER COLUMN ... SET for every identity sequence option, from the options
// written inside GENERATED ... AS IDENTITY (...): each one not given goes back
// to its default, so a removed option does not linger.
std::string identity_option_changes(const std::string& options)
{
    std::map<std::string, std::string> given;  // "INCREMENT BY" -> "10"
    const auto words = detail::split(options, ' ');
    for (std::size_t i = 0; i < words.size(); ++i) {
        const auto& w = words[i];
        if ((w == "START" || w == "INCREMENT") && i + 2 < words.size())
            given[w] = words[i += 2];
        else if ((w == "MINVALUE" || w == "MAXVALUE" || w == "CACHE") && i + 1 < words.size())
            given[w] = words[++i];
        else if (w == "CYCLE")
            given[w] = "";
    }
    auto value = [&](const char* key, const char* fallback) {
        auto it = given.find(key);
        return it == given.end() ? std::string(fallback) : it->second;
    };
    std::string out = "SET INCREMENT BY " + value("INCREMENT", "1");
    out += given.count("MINVALUE") ? " SET MINVALUE " + given["MINVALUE"] : " SET NO MINVALUE";
    out += given.count("MAXVALUE") ? " SET MAXVALUE " + given["MAXVALUE"] : " SET NO MAXVALUE";
    out += " SET START WITH " + value("START", given.count("MINVALUE") ? given["MINVALUE"].c_str() : "1");
    out += " SET CACHE " + value("CACHE", "1");
    out += given.count("CYCLE") ? " SET CYCLE" : " SET NO CYCLE";
    return out;
}

}  // namespace

std::vector<Statement> PostgresqlDialect::on(const AlterColumn& op, const Schema&) const
{
    const auto& from = op.from;
    const auto& to = op.to;
    const std::string prefix = "ALTER TABLE " + quote(op.table) + " ALTER COLUMN " + quote(to.name) + " ";
    std::vector<Statement> out;
    auto add = [&](std::string action) { out.push_back(Statement::plain(prefix + action)); };

    const bool type_changes = from.type != to.type || !detail::iequals(from.collation, to.collation);
    const bool default_changes = from.default_value != to.default_value;
    if ((from.generated.has_value() != to.generated.has_value() && to.generated) ||
        (from.generated && to.generated && *from.generated != *to.generated))
        throw ModelError("PostgreSQL cannot make a column generated or change its expression in place: drop the "
                         "column and add it again",
                         ErrorContext{.table = op.table, .column = to.name});
    if (from.generated && !to.generated)
        add("DROP EXPRESSION");
    // The old default may not cast to the new type: drop it first, set the new one after.
    if (from.default_value && (default_changes || type_changes))
        add("DROP DEFAULT");
    const bool from_serial = from.autoincrement && from.autoincrement_style == AutoincrementStyle::serial;
    const bool to_serial = to.autoincrement && to.autoincrement_style == AutoincrementStyle::serial;
    const bool from_identity = from.autoincrement && !from_serial;
    const bool to_identity = to.autoincrement && !to_serial;
    // A serial column numbers by its default and the sequence it owns: both go.
    const std::string column_sequence = "pg_get_serial_sequence(" + detail::single_quoted(quote(op.table)) + ", " +
                                        detail::single_quoted(to.name) + ")";
    if (from_serial && !to_serial) {
        if (!(from.default_value && (default_changes || type_changes)))
            add("DROP DEFAULT");
        out.push_back(Statement::plain("DO $strata$ BEGIN EXECUTE 'DROP SEQUENCE ' || " + column_sequence + "; END $strata$"));
    }
    if (from_identity && !to_identity)
        add("DROP IDENTITY");
    if (type_changes) {
        std::string type = render_type(to.type);
        std::string action = "TYPE " + type;
        if (!to.collation.empty())
            action += " COLLATE " + quote(to.collation);
        add(action + " USING " + quote(to.name) + "::" + type);
    }
    if (from.nullable != to.nullable)
        add(to.nullable ? "DROP NOT NULL" : "SET NOT NULL");
    if (to.default_value && (default_changes || type_changes))
        add("SET DEFAULT " + render_default(to));
    const bool always = to.autoincrement_style == AutoincrementStyle::identity_always;
    if (to_identity && !from_identity) {
        add(std::string(always ? "ADD GENERATED ALWAYS AS IDENTITY" : "ADD GENERATED BY DEFAULT AS IDENTITY") +
            (to.identity_options.empty() ? "" : " (" + to.identity_options + ")"));
    } else if (to_identity && from_identity) {
        if (from.autoincrement_style != to.autoincrement_style)
            add(always ? "SET GENERATED ALWAYS" : "SET GENERATED BY DEFAULT");
        if (from.identity_options != to.identity_options)
            add(identity_option_changes(to.identity_options));
    }
    if (to_serial && !from_serial) {
        const auto sequence = quote(detail::shorten_identifier(op.table + "_" + to.name + "_seq"));
        out.push_back(Statement::plain("CREATE SEQUENCE " + sequence + " OWNED BY " + quote(op.table) + "." + quote(to.name)));
        add("SET DEFAULT nextval(" + detail::single_quoted(sequence) + "::regclass)");
    }
    if (to.autoincrement && (!from.autoincrement || from_serial != to_serial)) {
        // The new sequence starts at its START: move it past the ids already there.
        out.push_back(Statement::plain("SELECT setval(" + column_sequence + ", greatest(coalesce(max(" + quote(to.name) +
                                       "), 0) + 1, (SELECT seqstart FROM pg_sequence WHERE seqrelid = " +
                                       column_sequence + "::regclass)), false) FROM " + quote(op.table)));
    }
    if (from.comment != to.comment)
        out.push_back(Statement::plain("COMMENT ON COLUMN " + quote(op.table) + "." + quote(to.name) + " IS " +
                                       (to.comment.empty() ? std::string("NULL") : detail::single_quoted(to.comment))));
    return out;
}

std::string PostgresqlDialect::column_definition(const Column& c, const Table& t) const
{
    if (!c.autoincrement || c.autoincrement_style != AutoincrementStyle::serial)
        return SqlDialect::column_definition(c, t);
    // serial: a sequence the column owns, named <table>_<column>_seq.
    const char* type = c.type.kind == TypeKind::bigint ? "bigserial" : c.type.kind == TypeKind::smallint ? "smallserial" : "serial";
    return quote(c.name) + " " + type + " NOT NULL";
}

std::vector<Statement> PostgresqlDialect::on(const DropObject& op, const Schema& before) const
{
    if (op.kind == ObjectKind::trigger) {
        const SqlObject* known = op.definition ? &*op.definition : before.find_object(op.kind, op.name);
        if (known && !known->definition_for(name()))
            return {};
        if (!known || known->table.empty())
            throw ModelError("drop_trigger " + op.name + ": PostgreSQL needs the trigger's table; record the trigger's "
                             "definition in the op");
        return {Statement::plain("DROP TRIGGER " + quote(op.name) + " ON " + quote(known->table))};
    }
    return SqlDialect::on(op, before);
}

std::vector<Statement> PostgresqlDialect::create_all(const Schema& schema) const
{
    std::vector<Statement> out;
    // Function bodies may name tables created later in the same setup (pg_dump does the same).
    bool functions = std::any_of(schema.objects.begin(), schema.objects.end(),
                                 [](const SqlObject& o) { return o.kind == ObjectKind::function; });
    if (functions)
        out.push_back(Statement::plain("SET LOCAL check_function_bodies = off"));
    auto rest = SqlDialect::create_all(schema);
    out.insert(out.end(), std::make_move_iterator(rest.begin()), std::make_move_iterator(rest.end()));
    return out;
}

std::vector<Statement> PostgresqlDialect::create_script(const Schema& schema) const
{
    // For psql, with or without -1: a session setting, as pg_dump writes it.
    std::vector<Statement> out{Statement::plain("SET check_function_bodies = false")};
    auto rest = SqlDialect::create_all(schema);
    out.insert(out.end(), std::make_move_iterator(rest.begin()), std::make_move_iterator(rest.end()));
    return out;
}

std::vector<std::string> PostgresqlDialect::check_model(const Schema& model) const
{
    auto problems = SqlDialect::check_model(model);
    for (const auto& t : model.tables)
        for (const auto& c : t.columns) {
            std::string where = "table '" + t.name + "': column '" + c.name + "': ";
            if (c.type.kind == TypeKind::varchar && c.type.length > 10485760)
                problems.push_back(where + "varchar(" + std::to_string(c.type.length) +
                                   ") exceeds PostgreSQL's limit of 10485760: use text");
            if (c.type.kind == TypeKind::numeric && c.type.precision > 1000)
                problems.push_back(where + "numeric precision " + std::to_string(c.type.precision) +
                                   " exceeds PostgreSQL's limit of 1000");
        }
    return problems;
}

Schema PostgresqlDialect::inspect(Session& session) const
{
    if (session.dialect().name() != name())
        throw Error(ErrorCode::usage,
                    "the PostgreSQL dialect cannot inspect a " + std::string(session.dialect().name()) + " session");
    return read_schema(static_cast<PGconn*>(session.native_handle()));
}

Schema PostgresqlDialect::read_back(Session& session, const Schema& canonical) const
{
    // A schema of its own, made and read inside a transaction (or savepoint)
    // that is then rolled back: nothing is left behind and no one else sees it.
    // The model's unqualified names of other things (an extension's types) are
    // found through the rest of the search_path.
    const bool nested = session.in_transaction();
    session.execute(nested ? "SAVEPOINT strata_read_back" : "BEGIN");
    auto undo = [&] {
        session.execute(nested ? "ROLLBACK TO SAVEPOINT strata_read_back; RELEASE SAVEPOINT strata_read_back"
                               : "ROLLBACK");
    };
    try {
        const std::string scratch = "strata_read_back_" + std::to_string(std::random_device{}());
        try {
            session.execute("CREATE SCHEMA " + quote(scratch));
        } catch (const DatabaseError& e) {
            if (e.kind() != DatabaseErrorKind::permission)
                throw;
            throw DatabaseError(DatabaseErrorKind::permission,
                                "comparing view, function, trigger and policy bodies with the models creates them in a "
                                "scratch schema inside a transaction that is rolled back, and this role may not create "
                                "a schema in the database: GRANT CREATE ON DATABASE to it, or run the command as a "
                                "role that has it (" + std::string(e.what()) + ")",
                                e.context());
        }
        session.execute("SELECT set_config('search_path', " + render_literal(Value{quote(scratch) + ", "}) +
                        " || current_setting('search_path'), true)");
        for (const auto& statement : create_all(canonical))
            session.execute(statement.sql);
        Schema read = inspect(session);
        undo();
        // Extensions stay in the schema they were installed in: the model's are kept as they are.
        std::erase_if(read.objects, [](const SqlObject& o) { return o.kind == ObjectKind::extension; });
        for (const auto& o : canonical.objects)
            if (o.kind == ObjectKind::extension)
                read.objects.push_back(o);
        return read;
    } catch (const std::exception&) {
        try {
            undo();
        } catch (const std::exception&) {  // the connection is gone; the first error says why
        }
        throw;
    }
}

const PostgresqlDialect& instance()
{
    static const PostgresqlDialect dialect;
    return dialect;
}

const Dialect& dialect()
{
    return instance();
}

}  // namespace strata::postgresql
