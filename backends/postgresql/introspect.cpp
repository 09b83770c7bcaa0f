// Reads a PostgreSQL schema back into the model through pg_catalog, a handful
// of queries for the whole schema (information_schema is two orders of
// magnitude slower at 1,000 tables). Type modifiers and index keys are decoded
// here, not by format_type()/pg_get_indexdef() per row, which dominate the cost;
// those are called only where there is something only they can say.
#include "errors.hpp"
#include "literal.hpp"
#include "postgresql_dialect.hpp"
#include "sql_dialect.hpp"
#include "sql_tokenizer.hpp"
#include "strata/errors.hpp"
#include "text.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cstring>
#include <utility>
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace strata::postgresql {

namespace {

struct Result {
    PGresult* r = nullptr;
    explicit Result(PGresult* result) : r(result) {}
    ~Result() { PQclear(r); }
    Result(Result&& other) noexcept : r(std::exchange(other.r, nullptr)) {}
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;
    int rows() const { return PQntuples(r); }
    std::string_view text(int row, int col) const
    {
        return {PQgetvalue(r, row, col), static_cast<std::size_t>(PQgetlength(r, row, col))};
    }
    bool null(int row, int col) const { return PQgetisnull(r, row, col); }
    long long number(int row, int col) const
    {
        long long v = 0;
        auto t = text(row, col);
        std::from_chars(t.data(), t.data() + t.size(), v);
        return v;
    }
    bool flag(int row, int col) const { return text(row, col) == "t"; }
};

// "{1,2}" or "1 2" -> numbers.
std::vector<int> numbers(std::string_view text)
{
    std::vector<int> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && !(text[i] == '-' || (text[i] >= '0' && text[i] <= '9')))
            ++i;
        if (i >= text.size())
            break;
        int v = 0;
        auto r = std::from_chars(text.data() + i, text.data() + text.size(), v);
        out.push_back(v);
        i = static_cast<std::size_t>(r.ptr - text.data());
    }
    return out;
}

FkAction action(char code)
{
    switch (code) {
    case 'r': return FkAction::restrict;
    case 'c': return FkAction::cascade;
    case 'n': return FkAction::set_null;
    case 'd': return FkAction::set_default;
    default: return FkAction::no_action;
    }
}

Type decode_type(long long oid, long long typmod, std::string_view typtype, std::string_view typname,
                 std::string_view formatted)
{
    switch (oid) {
    case 21: return Type::smallint();
    case 23: return Type::integer();
    case 20: return Type::bigint();
    case 16: return Type::boolean();
    case 700: return Type::real();
    case 701: return Type::double_precision();
    case 1700:
        if (typmod < 0)
            return Type::numeric();
        return Type::numeric(static_cast<int>(((typmod - 4) >> 16) & 0xffff), static_cast<int>((typmod - 4) & 0xffff));
    case 25: return Type::text();
    case 1043: return Type::varchar(typmod < 0 ? 0 : static_cast<int>(typmod - 4));
    case 17: return Type::blob();
    case 1114: return Type::timestamp();
    case 1184: return Type::timestamptz();
    case 1082: return Type::date();
    case 3802: return Type::json();
    case 2950: return Type::uuid();
    default: break;
    }
    if (typtype == "e")
        return Type::enumeration(std::string(typname));
    return Type::custom(std::string(formatted));
}

// The key expressions of an index from pg_get_indexdef(): "... USING btree (a, lower((b)::text) DESC) ...".
std::vector<std::string> index_key_texts(std::string_view def)
{
    auto tokens = detail::tokenize(def, {.dollar_quotes = true, .brackets = false, .backticks = false});
    std::size_t i = 0;
    while (i < tokens.size() && !tokens[i].is_word("using"))
        ++i;
    i += 2;  // USING method
    std::vector<std::string> out;
    if (i >= tokens.size() || !tokens[i].is_punct('('))
        return out;
    int depth = 0;
    std::size_t start = tokens[i].offset + 1;
    for (std::size_t k = i; k < tokens.size(); ++k) {
        if (tokens[k].is_punct('('))
            ++depth;
        else if (tokens[k].is_punct(')')) {
            if (--depth == 0) {
                out.emplace_back(detail::trim(def.substr(start, tokens[k].offset - start)));
                break;
            }
        } else if (tokens[k].is_punct(',') && depth == 1) {
            out.emplace_back(detail::trim(def.substr(start, tokens[k].offset - start)));
            start = tokens[k].offset + 1;
        }
    }
    return out;
}

// "lower((email)::text) DESC NULLS LAST" -> "lower((email)::text)"
std::string strip_ordering(std::string text)
{
    for (const char* suffix : {" NULLS LAST", " NULLS FIRST", " DESC", " ASC"})
        if (text.size() > std::strlen(suffix) && text.ends_with(suffix))
            text.resize(text.size() - std::strlen(suffix));
    return text;
}

// "CHECK ((price > (0)::numeric)) NOT VALID" -> "(price > (0)::numeric)"
std::string check_body(std::string_view def)
{
    auto open = def.find('(');
    auto close = def.rfind(')');
    if (open == std::string_view::npos || close == std::string_view::npos || close <= open)
        return std::string(def);
    return std::string(detail::trim(def.substr(open + 1, close - open - 1)));
}

// pg_get_functiondef() always names the schema ("CREATE OR REPLACE FUNCTION s1.f()");
// the bind's own schema comes from its search_path, so the name goes.
std::string without_schema_qualifier(const std::string& body, const std::string& schema)
{
    auto tokens = detail::tokenize(body, {.dollar_quotes = true, .brackets = false, .backticks = false});
    for (std::size_t i = 0; i + 2 < tokens.size(); ++i) {
        if (!(tokens[i].is_word("function") || tokens[i].is_word("procedure")))
            continue;
        const auto& name = tokens[i + 1];
        bool same = (name.kind == detail::TokenKind::word && name.text == schema) ||
                    (name.kind == detail::TokenKind::quoted_identifier && detail::unquote_identifier(name.text) == schema);
        if (same && tokens[i + 2].is_punct('.'))
            return body.substr(0, name.offset) + body.substr(tokens[i + 2].offset + 1);
        break;
    }
    return body;
}

// Plain defaults cannot name columns, so pg_get_expr() needs no table: given one
// it opens the table to name columns (~10 us each on a fresh connection).
// One row per column, and one with a NULL attnum for a table without columns.
// Types that are not built in (enums, domains, arrays) and collations other than
// the default are looked up only for the rows that have them.
const char* const columns_sql = R"(
SELECT c.oid, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull, a.attidentity, a.attgenerated,
       CASE WHEN a.atthasdef THEN pg_get_expr(ad.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE ad.adrelid END) END,
       CASE WHEN a.atttypid IN (16, 17, 20, 21, 23, 25, 700, 701, 1043, 1082, 1700, 2950, 3802)
              OR (a.atttypid IN (1114, 1184) AND a.atttypmod = -1) THEN NULL
            ELSE format_type(a.atttypid, a.atttypmod) END,
       CASE WHEN a.atttypid NOT IN (16, 17, 20, 21, 23, 25, 700, 701, 1043, 1082, 1114, 1184, 1700, 2950, 3802)
            THEN (SELECT t.typtype::text FROM pg_type t WHERE t.oid = a.atttypid) END,
       CASE WHEN a.atttypid NOT IN (16, 17, 20, 21, 23, 25, 700, 701, 1043, 1082, 1114, 1184, 1700, 2950, 3802)
            THEN (SELECT t.typname FROM pg_type t WHERE t.oid = a.atttypid) END,
       CASE WHEN a.attcollation NOT IN (0, 100)
            THEN (SELECT co.collname FROM pg_collation co WHERE co.oid = a.attcollation) END,
       c.relname
FROM pg_class c
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef ad ON a.atthasdef AND ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE c.relnamespace = $1::oid AND c.relkind IN ('r', 'p') AND NOT c.relispartition)";

// Comments, constraints and indexes name their namespace or are filtered here by
// table OID: a join with pg_class would scan it once more per query.
const char* const comments_sql = R"(
SELECT d.objoid, d.objsubid, d.description
FROM pg_description d
WHERE d.classoid = 'pg_class'::regclass AND d.objoid >= 16384)";

const char* const constraints_sql = R"(
SELECT con.conrelid, con.conname, con.contype, con.conkey, con.confkey,
       con.confupdtype, con.confdeltype, con.condeferrable, con.condeferred,
       CASE WHEN con.contype = 'c' THEN pg_get_constraintdef(con.oid) END, con.confrelid, con.conindid
FROM pg_constraint con
WHERE con.connamespace = $1::oid AND con.conrelid <> 0 AND con.contype IN ('p', 'u', 'f', 'c', 'x')
ORDER BY con.conrelid, con.conname)";

// Key columns are decoded here from indkey/indoption; the server deparses only
// predicates and expressions (each opens the table: ~30 us on a fresh connection).
const char* const indexes_sql = R"(
SELECT i.indrelid, ic.relname, i.indisunique, i.indkey, i.indoption, am.amname, i.indnkeyatts,
       CASE WHEN i.indexprs IS NOT NULL THEN pg_get_indexdef(i.indexrelid) END,
       CASE WHEN i.indpred IS NOT NULL THEN pg_get_expr(i.indpred, i.indrelid) END,
       i.indexrelid
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
WHERE ic.relnamespace = $1::oid AND NOT i.indisprimary
ORDER BY ic.relname)";

// pg_get_triggerdef() qualifies the table with its schema unless asked for the
// "pretty" form, which names it as the search_path sees it.
const char* const objects_sql = R"(
SELECT 'view', c.relname, '', pg_get_viewdef(c.oid) FROM pg_class c
WHERE c.relnamespace = $1::oid AND c.relkind = 'v'
UNION ALL
SELECT 'trigger', t.tgname, c.relname, pg_get_triggerdef(t.oid, true) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = $1::oid AND NOT t.tgisinternal
UNION ALL
SELECT 'function', p.proname, '', pg_get_functiondef(p.oid) FROM pg_proc p
WHERE p.pronamespace = $1::oid AND p.prokind IN ('f', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = 'pg_proc'::regclass AND dep.objid = p.oid AND dep.deptype = 'e')
UNION ALL
SELECT 'enum', t.typname, '', string_agg(quote_literal(e.enumlabel), ',' ORDER BY e.enumsortorder)
FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = $1::oid GROUP BY t.typname
UNION ALL
SELECT 'extension', x.extname, '', '' FROM pg_extension x WHERE x.extnamespace = $1::oid AND x.extname <> 'plpgsql'
ORDER BY 1, 2)";

// Sends the catalog queries in one round trip: the server runs each while strata
// decodes the result before it. Right after a migration the catalogs'
// statistics are stale (the tables just created are not counted), and the
// planner then picks nested loops that visit one catalog once per row of
// another: 0.8 s instead of 20 ms at 1,000 tables. Hash joins over the catalogs
// are right at every size, so nested loops are off for the batch.
class Batch {
public:
    Batch(PGconn* conn, const std::string& ns, std::initializer_list<const char*> queries) : conn_(conn)
    {
        std::string sql = "SET enable_nestloop = off;";
        for (const char* q : queries) {
            std::string query = q;
            for (auto at = query.find("$1::oid"); at != std::string::npos; at = query.find("$1::oid"))
                query.replace(at, 2, ns);  // the namespace OID, a number read from the server
            sql += query + ";";
        }
        sql += "RESET enable_nestloop";
        sql_ = std::move(sql);
        if (!PQsendQuery(conn_, sql_.c_str()))
            throw_error(conn_, nullptr, sql_);
        Result set(PQgetResult(conn_));  // SET
        check(set.r, PGRES_COMMAND_OK);
    }
    ~Batch() { finish(); }
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;

    // Reads what is left (the RESET); the connection is then free for more.
    void finish()
    {
        while (PGresult* r = PQgetResult(conn_))
            PQclear(r);
    }

    Result next()
    {
        Result r(PQgetResult(conn_));
        check(r.r, PGRES_TUPLES_OK);
        return r;
    }

private:
    void check(const PGresult* r, ExecStatusType expected)
    {
        if (!r || PQresultStatus(r) != expected)
            throw_error(conn_, r, sql_);
    }

    PGconn* conn_;
    std::string sql_;
};

// A foreign key to a table of another schema, named after the main queries.
struct ForeignReference {
    std::size_t table;
    std::string key;
    long long oid;
    std::vector<int> columns;
};

// Names the tables (and referenced columns) of other schemas that foreign keys
// reference: rare, so one query only when there are any.
void name_foreign_references(PGconn* conn, Schema& schema, const std::vector<ForeignReference>& references)
{
    if (references.empty())
        return;
    std::string sql = "SELECT c.oid, c.relname, a.attnum, a.attname FROM pg_class c "
                      "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 WHERE c.oid IN (";
    for (std::size_t i = 0; i < references.size(); ++i)
        sql += (i ? "," : "") + std::to_string(references[i].oid);
    sql += ")";
    Result r(PQexec(conn, sql.c_str()));
    if (PQresultStatus(r.r) != PGRES_TUPLES_OK)
        throw_error(conn, r.r, sql);
    std::unordered_map<long long, std::string> tables;
    std::map<std::pair<long long, long long>, std::string> columns;
    for (int i = 0; i < r.rows(); ++i) {
        tables.emplace(r.number(i, 0), std::string(r.text(i, 1)));
        columns.emplace(std::pair{r.number(i, 0), r.number(i, 2)}, std::string(r.text(i, 3)));
    }
    for (const auto& ref : references)
        for (auto& fk : schema.tables[ref.table].foreign_keys) {
            if (fk.name != ref.key)
                continue;
            if (auto t = tables.find(ref.oid); t != tables.end())
                fk.ref_table = t->second;
            fk.ref_columns.clear();
            for (int n : ref.columns) {
                auto c = columns.find({ref.oid, n});
                fk.ref_columns.push_back(c == columns.end() ? std::to_string(n) : c->second);
            }
        }
}

}  // namespace

Schema read_schema(PGconn* conn)
{
    std::string ns, schema_name;
    {
        Result r(PQexec(conn, "SELECT oid, nspname FROM pg_namespace WHERE nspname = current_schema()"));
        if (PQresultStatus(r.r) != PGRES_TUPLES_OK)
            throw_error(conn, r.r, "current_schema()");
        if (r.rows() == 0)
            return Schema{};  // the search_path names a schema that does not exist (yet)
        ns = std::string(r.text(0, 0));
        schema_name = std::string(r.text(0, 1));
    }

    Batch batch(conn, ns, {columns_sql, comments_sql, constraints_sql, indexes_sql, objects_sql});
    Schema schema;
    std::unordered_map<long long, std::size_t> by_oid;
    // attnum -> column name, per table, for keys given as attribute numbers.
    std::unordered_map<long long, std::unordered_map<int, std::string>> attnames;
    {
        auto r = batch.next();
        // Rows come in storage order: sort by (table, attnum) here, not in the server.
        std::vector<int> order(static_cast<std::size_t>(r.rows()));
        std::vector<std::pair<long long, long long>> keys(order.size());
        for (int i = 0; i < r.rows(); ++i) {
            order[static_cast<std::size_t>(i)] = i;
            keys[static_cast<std::size_t>(i)] = {r.number(i, 0), r.number(i, 1)};
        }
        std::sort(order.begin(), order.end(), [&](int a, int b) {
            return keys[static_cast<std::size_t>(a)] < keys[static_cast<std::size_t>(b)];
        });
        // Tables in name order, each once.
        std::vector<std::pair<std::string_view, long long>> tables;
        for (int i : order)
            if (tables.empty() || tables.back().second != r.number(i, 0))
                tables.emplace_back(r.text(i, 13), r.number(i, 0));
        std::sort(tables.begin(), tables.end());
        schema.tables.reserve(tables.size());
        for (const auto& [name, oid] : tables) {
            if (detail::is_internal_table(name))
                continue;
            by_oid[oid] = schema.tables.size();
            schema.tables.push_back(Table{std::string(name)});
        }
        for (int i : order) {
            auto oid = r.number(i, 0);
            auto it = by_oid.find(oid);
            if (it == by_oid.end() || r.null(i, 1))
                continue;
            Table& t = schema.tables[it->second];
            Column c;
            c.name = std::string(r.text(i, 2));
            attnames[oid][static_cast<int>(r.number(i, 1))] = c.name;
            c.type = decode_type(r.number(i, 3), r.number(i, 4), r.text(i, 10), r.text(i, 11), r.text(i, 9));
            c.nullable = !r.flag(i, 5);
            c.autoincrement = !r.text(i, 6).empty();  // identity 'a' or 'd'
            auto generated = r.text(i, 7);
            if (!r.null(i, 8)) {
                std::string expr(r.text(i, 8));
                if (generated == "s") {
                    c.generated = Generated{std::string(detail::trim(expr)), true};
                } else if (detail::istarts_with(expr, "nextval(")) {
                    c.autoincrement = true;  // serial: the same as identity for the model
                } else {
                    c.default_value = detail::parse_default(expr, c.type);
                }
            }
            if (!r.null(i, 12))
                c.collation = std::string(r.text(i, 12));
            t.columns.push_back(std::move(c));
        }
    }
    {
        auto r = batch.next();
        for (int i = 0; i < r.rows(); ++i) {
            auto it = by_oid.find(r.number(i, 0));
            if (it == by_oid.end())
                continue;
            Table& t = schema.tables[it->second];
            auto attnum = static_cast<int>(r.number(i, 1));
            if (attnum == 0) {
                t.comment = std::string(r.text(i, 2));
            } else if (auto name = attnames[r.number(i, 0)].find(attnum); name != attnames[r.number(i, 0)].end()) {
                if (auto* c = t.find_column(name->second))
                    c->comment = std::string(r.text(i, 2));
            }
        }
    }
    auto names = [&](long long oid, std::string_view keys) {
        std::vector<std::string> out;
        const auto& map = attnames[oid];
        for (int n : numbers(keys)) {
            auto it = map.find(n);
            out.push_back(it == map.end() ? std::to_string(n) : it->second);
        }
        return out;
    };
    std::unordered_set<long long> constraint_indexes;  // indexes behind keys, not declared apart
    std::vector<ForeignReference> foreign_references;
    {
        auto r = batch.next();
        for (int i = 0; i < r.rows(); ++i) {
            // A foreign key's conindid is the referenced table's index: only keys own theirs.
            if (auto kind = r.text(i, 2); kind == "p" || kind == "u" || kind == "x")
                constraint_indexes.insert(r.number(i, 11));
            auto oid = r.number(i, 0);
            auto it = by_oid.find(oid);
            if (it == by_oid.end())
                continue;
            Table& t = schema.tables[it->second];
            std::string name(r.text(i, 1));
            char type = r.text(i, 2).empty() ? ' ' : r.text(i, 2)[0];
            if (type == 'x')
                continue;  // exclusion constraints are not modelled; their index is kept out below
            auto columns = names(oid, r.text(i, 3));
            if (type == 'p') {
                t.primary_key = PrimaryKey{name, columns};
            } else if (type == 'u') {
                t.uniques.push_back(UniqueConstraint{name, columns});
            } else if (type == 'c') {
                t.checks.push_back(CheckConstraint{name, check_body(r.text(i, 9))});
            } else if (type == 'f') {
                ForeignKey fk;
                fk.name = name;
                fk.columns = columns;
                const long long ref_oid = r.number(i, 10);
                if (auto ref = by_oid.find(ref_oid); ref != by_oid.end())
                    fk.ref_table = schema.tables[ref->second].name;
                else
                    foreign_references.push_back({it->second, name, ref_oid, numbers(r.text(i, 4))});
                // Referenced columns need the referenced table's attribute names, all known by now.
                fk.ref_columns = names(ref_oid, r.text(i, 4));
                fk.on_update = action(r.text(i, 5).empty() ? 'a' : r.text(i, 5)[0]);
                fk.on_delete = action(r.text(i, 6).empty() ? 'a' : r.text(i, 6)[0]);
                fk.deferrable = r.flag(i, 7);
                fk.initially_deferred = r.flag(i, 8);
                t.foreign_keys.push_back(std::move(fk));
            }
        }
    }
    {
        auto r = batch.next();
        for (int i = 0; i < r.rows(); ++i) {
            auto oid = r.number(i, 0);
            auto it = by_oid.find(oid);
            if (it == by_oid.end() || constraint_indexes.count(r.number(i, 9)))
                continue;
            Index ix;
            ix.name = std::string(r.text(i, 1));
            ix.unique = r.flag(i, 2);
            auto keys = numbers(r.text(i, 3));
            auto options = numbers(r.text(i, 4));
            auto key_count = static_cast<std::size_t>(r.number(i, 6));
            std::string method(r.text(i, 5));
            ix.method = method == "btree" ? "" : method;
            std::vector<std::string> texts;
            if (!r.null(i, 7))
                texts = index_key_texts(r.text(i, 7));
            const auto& columns = attnames[oid];
            for (std::size_t k = 0; k < keys.size() && k < key_count; ++k) {
                IndexElement e;
                if (keys[k] == 0)
                    e.expression = k < texts.size() ? strip_ordering(texts[k]) : "?";
                else if (auto c = columns.find(keys[k]); c != columns.end())
                    e.column = c->second;
                e.descending = k < options.size() && (options[k] & 1);
                ix.elements.push_back(std::move(e));
            }
            if (!r.null(i, 8))
                ix.where = std::string(r.text(i, 8));
            schema.tables[it->second].indexes.push_back(std::move(ix));
        }
    }
    {
        auto r = batch.next();
        for (int i = 0; i < r.rows(); ++i) {
            SqlObject o;
            auto kind = r.text(i, 0);
            o.name = std::string(r.text(i, 1));
            o.table = std::string(r.text(i, 2));
            std::string body(detail::trim(r.text(i, 3)));
            if (kind == "view") {
                o.kind = ObjectKind::view;
                if (body.ends_with(';'))
                    body.pop_back();
                o.definition["postgresql"] = body;
            } else if (kind == "trigger") {
                o.kind = ObjectKind::trigger;
                o.definition["postgresql"] = body;
            } else if (kind == "function") {
                o.kind = ObjectKind::function;
                o.definition["postgresql"] = without_schema_qualifier(body, schema_name);
            } else if (kind == "enum") {
                o.kind = ObjectKind::enum_type;
                for (const auto& t : detail::tokenize(body, {.brackets = false}))
                    if (t.kind == detail::TokenKind::string)
                        o.values.push_back(detail::unquote_string(t.text));
            } else {
                o.kind = ObjectKind::extension;
                o.definition["postgresql"] = "";
            }
            schema.objects.push_back(std::move(o));
        }
    }
    batch.finish();
    name_foreign_references(conn, schema, foreign_references);
    return schema;
}

}  // namespace strata::postgresql
