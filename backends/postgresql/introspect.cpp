// Reads a PostgreSQL schema back into the model through pg_catalog, a handful
// of queries for the whole schema (information_schema is two orders of
// magnitude slower at 1,000 tables). Type modifiers and index keys are decoded
// here, not by format_type()/pg_get_indexdef() per row, which dominate the cost;
// those are called only where there is something only they can say.
#include "errors.hpp"
#include "log.hpp"
#include "literal.hpp"
#include "postgresql_dialect.hpp"
#include "result.hpp"
#include "sql_dialect.hpp"
#include "sql_tokenizer.hpp"
#include "strata/errors.hpp"
#include "text.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace strata::postgresql {

namespace {

// "{1,2}" or "1 2" -> numbers, into `out` (whose capacity a loop can reuse).
void read_numbers(std::string_view text, std::vector<int>& out)
{
    out.clear();
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
}

std::vector<int> numbers(std::string_view text)
{
    std::vector<int> out;
    read_numbers(text, out);
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

// The types strata decodes from OID and typmod; the others the server names.
std::optional<Type> builtin_type(long long oid, long long typmod)
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
        // The scale is 11 bits, signed since PostgreSQL 15: numeric(7,-2) rounds to hundreds.
        return Type::numeric(static_cast<int>(((typmod - 4) >> 16) & 0xffff),
                             static_cast<int>((((typmod - 4) & 0x7ff) ^ 1024) - 1024));
    case 25: return Type::text();
    case 1043: return Type::varchar(typmod < 0 ? 0 : static_cast<int>(typmod - 4));
    case 17: return Type::blob();
    case 1114: return typmod < 0 ? std::optional{Type::timestamp()} : std::nullopt;  // timestamp(3) is custom
    case 1184: return typmod < 0 ? std::optional{Type::timestamptz()} : std::nullopt;
    case 1082: return Type::date();
    case 3802: return Type::json();
    case 2950: return Type::uuid();
    default: return std::nullopt;
    }
}

// An enum by its name, any other type as format_type() writes it ("integer[]", "inet").
Type server_named_type(std::string_view typtype, std::string_view typname, std::string_view formatted)
{
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

// One key as pg_get_indexdef() writes it, "lower((email)::text) COLLATE \"C\"
// text_pattern_ops DESC NULLS LAST": the expression, collation and operator
// class into e (the direction comes from indoption).
void decode_key_text(std::string_view text, IndexElement& e)
{
    auto tokens = detail::tokenize(text, {.dollar_quotes = true, .brackets = false, .backticks = false});
    std::vector<std::size_t> top;  // the tokens outside parentheses
    int depth = 0;
    for (std::size_t k = 0; k < tokens.size() && tokens[k].kind != detail::TokenKind::end; ++k) {
        if (tokens[k].is_punct('(') && depth++ == 0)
            top.push_back(k);
        else if (tokens[k].is_punct(')') && --depth == 0)
            top.push_back(k);
        else if (depth == 0)
            top.push_back(k);
    }
    auto name = [](const detail::Token& t) {
        return t.kind == detail::TokenKind::quoted_identifier ? detail::unquote_identifier(t.text) : std::string(t.text);
    };
    auto is_name = [](const detail::Token& t) {
        return t.kind == detail::TokenKind::word || t.kind == detail::TokenKind::quoted_identifier;
    };
    std::size_t end = top.size();  // the expression is top[0, end)
    if (end >= 2 && tokens[top[end - 2]].is_word("nulls"))
        end -= 2;
    if (end >= 1 && (tokens[top[end - 1]].is_word("desc") || tokens[top[end - 1]].is_word("asc")))
        end -= 1;
    // An operator class: a (qualified) name right after the key.
    if (end >= 2 && is_name(tokens[top[end - 1]]) &&
        (tokens[top[end - 2]].is_punct(')') || is_name(tokens[top[end - 2]]) || tokens[top[end - 2]].is_punct('.'))) {
        std::size_t first = end - 1;
        if (first >= 2 && tokens[top[first - 1]].is_punct('.') && is_name(tokens[top[first - 2]]))
            first -= 2;
        if (first >= 1 && !tokens[top[first - 1]].is_word("collate")) {
            e.opclass = std::string(text.substr(tokens[top[first]].offset,
                                                tokens[top[end - 1]].offset + tokens[top[end - 1]].text.size() -
                                                    tokens[top[first]].offset));
            end = first;
        }
    }
    if (end >= 2 && tokens[top[end - 2]].is_word("collate")) {
        e.collation = name(tokens[top[end - 1]]);
        end -= 2;
    }
    if (end == 0)
        return;
    const auto stop = end < top.size() ? tokens[top[end]].offset : text.size();
    e.expression = std::string(detail::trim(text.substr(0, stop)));
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

// pg_get_functiondef() and pg_get_indexdef() always name the schema ("CREATE OR
// REPLACE FUNCTION s1.f()", "CREATE INDEX i ON s1.t"); the bind's own schema
// comes from its search_path, so the name after the first `keyword` goes.
std::string without_schema_qualifier(const std::string& body, const std::string& schema,
                                     std::initializer_list<std::string_view> keywords = {"function", "procedure"})
{
    auto tokens = detail::tokenize(body, {.dollar_quotes = true, .brackets = false, .backticks = false});
    for (std::size_t i = 0; i + 2 < tokens.size(); ++i) {
        if (std::none_of(keywords.begin(), keywords.end(), [&](std::string_view k) { return tokens[i].is_word(k); }))
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

// Every query names the bind's schema the same way, so that the lookup travels
// in the batch instead of costing a round trip before it.
constexpr std::string_view bind_schema = "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())";
constexpr std::string_view bind_schema_placeholder = "@schema";

// No row when the search_path names a schema that does not exist (yet).
const char* const schema_sql = "SELECT oid, nspname FROM pg_namespace WHERE nspname = current_schema()";

// One row per column, and one with a NULL attnum for a table without columns.
// Types and collations come as OIDs: strata decodes the built-in ones and asks
// the server to name the others afterwards, only when there are any.
// Partitioning and row-level security are table-wide, computed only where set.
const char* const columns_sql = R"(
SELECT c.oid, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull, a.attidentity, a.attgenerated,
       a.attcollation, c.relname, c.relrowsecurity, c.relforcerowsecurity,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
       CASE WHEN c.relispartition THEN (SELECT p.relname FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent
                                        WHERE h.inhrelid = c.oid) END,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END
FROM pg_class c
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relnamespace = @schema AND c.relkind IN ('r', 'p'))";

// Defaults and generation expressions, apart from the columns so that another
// connection can deparse them meanwhile. Given a table, pg_get_expr() opens it
// to name columns (~10 us each on a fresh connection): only expressions that
// name columns (a Var in the node tree), i.e. generation expressions, need it.
// A nextval() default makes a serial column only when the column owns the
// sequence (pg_depend 'a', as serial and OWNED BY record it).
constexpr const char* defaults_sql = R"(
SELECT ad.adrelid, ad.adnum,
       CASE WHEN position('{VAR ' in ad.adbin::text) = 0 THEN pg_get_expr(ad.adbin, 0) ELSE pg_get_expr(ad.adbin, ad.adrelid) END,
       position('{FUNCEXPR :funcid 1574 ' in ad.adbin::text) > 0 AND EXISTS (
         SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
           AND d.refobjid = ad.adrelid AND d.refobjsubid = ad.adnum AND d.deptype = 'a')
FROM pg_attrdef ad
JOIN pg_class c ON c.oid = ad.adrelid
WHERE c.relnamespace = @schema AND c.relkind IN ('r', 'p'))";

// Comments, constraints and indexes name their namespace or are filtered here by
// table OID: a join with pg_class would scan it once more per query. None is
// sorted by the server: on a fresh connection that costs more than sorting here.
constexpr const char* comments_sql = R"(
SELECT d.objoid, d.objsubid, d.description, d.classoid = 'pg_constraint'::regclass
FROM pg_description d
WHERE d.classoid IN ('pg_class'::regclass, 'pg_constraint'::regclass) AND d.objoid >= 16384)";

constexpr const char* constraints_sql = R"(
SELECT con.conrelid, con.conname, con.contype, con.conkey, con.confkey,
       con.confupdtype, con.confdeltype, con.condeferrable, con.condeferred,
       CASE WHEN con.contype IN ('c', 'x') THEN pg_get_constraintdef(con.oid) END, con.confrelid, con.conindid,
       con.conislocal AND con.conparentid = 0, con.oid, con.confmatchtype
FROM pg_constraint con
WHERE con.connamespace = @schema AND con.conrelid <> 0 AND con.contype IN ('p', 'u', 'f', 'c', 'x'))";

// Key columns are decoded here from indkey/indoption; the server deparses only
// what they cannot say (each opens the table: ~30 us on a fresh connection):
// predicates, and the whole definition for expressions, INCLUDE columns, an
// operator class that is not the
// type's default, or a collation that is not the column's. B-tree (OID 403 in
// every release) is the usual method and is left NULL. NULLS FIRST/LAST is in
// indoption. An index a partition
// inherits from its parent's (pg_inherits) is the parent's.
const char* const indexes_sql = R"(
SELECT i.indrelid, ic.relname, i.indisunique, i.indkey, i.indoption,
       CASE WHEN ic.relam <> 403 THEN (SELECT am.amname FROM pg_am am WHERE am.oid = ic.relam) END, i.indnkeyatts,
       CASE WHEN i.indexprs IS NOT NULL OR i.indnatts > i.indnkeyatts
              OR i.indclass::oid[] && (SELECT array_agg(oc.oid) FROM pg_opclass oc WHERE NOT oc.opcdefault)
              OR CASE WHEN i.indcollation::oid[] <@ '{0,100}'::oid[] THEN false
                      ELSE EXISTS (SELECT 1 FROM unnest(i.indcollation::oid[], i.indkey::int2[]) u(coll, att)
                                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.att
                                   WHERE u.coll <> 0 AND u.coll <> a.attcollation) END
            THEN pg_get_indexdef(i.indexrelid) END,
       CASE WHEN i.indpred IS NOT NULL THEN pg_get_expr(i.indpred, i.indrelid) END,
       i.indexrelid, EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid),
       array_to_string(ic.reloptions, ', ')
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
WHERE ic.relnamespace = @schema AND NOT i.indisprimary)";

// Every object other than a table: kind, name, relation, definition, comment and
// what it must follow (newline-separated names, from pg_depend). pg_get_triggerdef()
// qualifies the table with its schema unless asked for the "pretty" form, which
// names it as the search_path sees it. Domains, composite types, standalone
// sequences and policies are written here as the CREATE statement that makes them,
// and so is a view with options (security_barrier, check_option, ...).
// A sequence a column owns (serial, identity) belongs to the column.
constexpr const char* objects_sql = R"(
SELECT 'view', c.relname, '',
       CASE WHEN c.relkind = 'v' AND c.reloptions IS NOT NULL
            THEN 'CREATE VIEW ' || quote_ident(c.relname) || ' WITH (' || array_to_string(c.reloptions, ', ') || ') AS'
                 || pg_get_viewdef(c.oid) ELSE pg_get_viewdef(c.oid) END, obj_description(c.oid, 'pg_class'),
       (SELECT string_agg(DISTINCT coalesce(rc.relname, rp.proname), E'\n')
        FROM pg_rewrite rw JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
        LEFT JOIN pg_class rc ON d.refclassid = 'pg_class'::regclass AND rc.oid = d.refobjid AND rc.oid <> c.oid
        LEFT JOIN pg_proc rp ON d.refclassid = 'pg_proc'::regclass AND rp.oid = d.refobjid
        WHERE rw.ev_class = c.oid AND (rc.oid IS NOT NULL OR rp.oid IS NOT NULL)), c.relkind::text
FROM pg_class c WHERE c.relnamespace = @schema AND c.relkind IN ('v', 'm')
UNION ALL
SELECT 'trigger', t.tgname, c.relname, pg_get_triggerdef(t.oid, true), obj_description(t.oid, 'pg_trigger'), NULL, ''
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = @schema AND NOT t.tgisinternal
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_trigger'::regclass AND d.objid = t.oid
                  AND d.deptype IN ('P', 'S'))
UNION ALL
SELECT 'function', p.proname, '', pg_get_functiondef(p.oid), obj_description(p.oid, 'pg_proc'),
       (SELECT string_agg(DISTINCT tc.relname, E'\n') FROM pg_depend d
        JOIN pg_type ty ON d.refclassid = 'pg_type'::regclass AND ty.oid = d.refobjid
        JOIN pg_class tc ON tc.oid = ty.typrelid AND tc.relkind <> 'c'
        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid), ''
FROM pg_proc p
WHERE p.pronamespace = @schema AND p.prokind IN ('f', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = 'pg_proc'::regclass AND dep.objid = p.oid AND dep.deptype = 'e')
UNION ALL
SELECT 'enum', t.typname, '', string_agg(quote_literal(e.enumlabel), ',' ORDER BY e.enumsortorder),
       obj_description(t.oid, 'pg_type'), NULL, ''
FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = @schema GROUP BY t.oid, t.typname
UNION ALL
SELECT 'domain', t.typname, '',
       'CREATE DOMAIN ' || quote_ident(t.typname) || ' AS ' || format_type(t.typbasetype, t.typtypmod)
       || CASE WHEN t.typcollation <> b.typcollation
               THEN ' COLLATE ' || (SELECT quote_ident(co.collname) FROM pg_collation co WHERE co.oid = t.typcollation) ELSE '' END
       || CASE WHEN t.typdefault IS NOT NULL THEN ' DEFAULT ' || t.typdefault ELSE '' END
       || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
       || coalesce((SELECT string_agg(' CONSTRAINT ' || quote_ident(con.conname) || ' ' || pg_get_constraintdef(con.oid), ''
                                      ORDER BY con.conname)
                    FROM pg_constraint con WHERE con.contypid = t.oid), ''),
       obj_description(t.oid, 'pg_type'),
       CASE WHEN b.typnamespace = t.typnamespace THEN b.typname END, ''
FROM pg_type t JOIN pg_type b ON b.oid = t.typbasetype
WHERE t.typnamespace = @schema AND t.typtype = 'd'
UNION ALL
SELECT 'composite_type', t.typname, '',
       'CREATE TYPE ' || quote_ident(t.typname) || ' AS ('
       || coalesce(string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum), '')
       || ')',
       obj_description(t.oid, 'pg_type'), NULL, ''
FROM pg_type t JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE t.typnamespace = @schema GROUP BY t.oid, t.typname
UNION ALL
SELECT 'sequence', c.relname, '',
       'CREATE SEQUENCE ' || quote_ident(c.relname) || ' AS ' || format_type(s.seqtypid, NULL)
       || ' START WITH ' || s.seqstart || ' INCREMENT BY ' || s.seqincrement || ' MINVALUE ' || s.seqmin
       || ' MAXVALUE ' || s.seqmax || ' CACHE ' || s.seqcache || CASE WHEN s.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END,
       obj_description(c.oid, 'pg_class'), NULL, ''
FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
WHERE c.relnamespace = @schema AND c.relkind = 'S'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
UNION ALL
SELECT 'index', ic.relname, c.relname, pg_get_indexdef(i.indexrelid), obj_description(ic.oid, 'pg_class'), c.relname, ''
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
WHERE c.relnamespace = @schema AND c.relkind = 'm'
UNION ALL
SELECT 'policy', pol.polname, c.relname,
       'CREATE POLICY ' || quote_ident(pol.polname) || ' ON ' || quote_ident(c.relname)
       || CASE WHEN pol.polpermissive THEN '' ELSE ' AS RESTRICTIVE' END
       || ' FOR ' || CASE pol.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                                    WHEN 'd' THEN 'DELETE' ELSE 'ALL' END
       || ' TO ' || CASE WHEN pol.polroles = '{0}' THEN 'PUBLIC'
                         ELSE (SELECT string_agg(quote_ident(r.rolname), ', ' ORDER BY r.rolname)
                               FROM pg_roles r WHERE r.oid = ANY (pol.polroles)) END
       || CASE WHEN pol.polqual IS NOT NULL THEN ' USING (' || pg_get_expr(pol.polqual, pol.polrelid) || ')' ELSE '' END
       || CASE WHEN pol.polwithcheck IS NOT NULL THEN ' WITH CHECK (' || pg_get_expr(pol.polwithcheck, pol.polrelid) || ')'
               ELSE '' END,
       obj_description(pol.oid, 'pg_policy'), NULL, ''
FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid WHERE c.relnamespace = @schema
UNION ALL
SELECT 'extension', x.extname, '', '', NULL, NULL, '' FROM pg_extension x WHERE x.extnamespace = @schema AND x.extname <> 'plpgsql')";

// Every catalog query, in the order SchemaReader decodes their results.
const char* const catalog_queries[] = {schema_sql,   columns_sql,     indexes_sql, defaults_sql,
                                       comments_sql, constraints_sql, objects_sql};

// One snapshot for every catalog read, follow-ups included: a migration
// committing beside the read never yields half a schema.
constexpr const char* begin_snapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

// The catalog queries as one string, sent in one round trip. Right after a
// migration the catalogs' statistics are stale (the tables just created are not
// counted), and the planner then picks nested loops that visit one catalog once
// per row of another: 0.8 s instead of 20 ms at 1,000 tables. Hash joins over
// the catalogs are right at every size, so nested loops are off for the batch.
// So is JIT: the catalog queries' subplans add up to costs above jit_above_cost,
// and compiling them took 2 s of a 25 ms query at 1,000 tables.
std::string batch_sql(const std::vector<const char*>& queries)
{
    std::string sql = "SET enable_nestloop = off; SET jit = off;";
    for (const char* q : queries) {
        std::string query = q;
        for (auto at = query.find(bind_schema_placeholder); at != std::string::npos;
             at = query.find(bind_schema_placeholder))
            query.replace(at, bind_schema_placeholder.size(), bind_schema);
        sql += query + ";";
    }
    return sql + "RESET enable_nestloop; RESET jit";
}

// Runs batch_sql() on the session: the server runs each query while strata
// decodes the result before it.
class Batch {
public:
    // `begin`: the batch opens the snapshot's transaction itself.
    Batch(PGconn* conn, const std::vector<const char*>& queries, bool begin)
        : conn_(conn), sql_((begin ? std::string(begin_snapshot) + ";" : std::string()) + batch_sql(queries))
    {
        if (!PQsendQuery(conn_, sql_.c_str()))
            throw_error(conn_, nullptr, sql_);
        for (int commands = begin ? 3 : 2; commands > 0; --commands) {  // BEGIN, SET, SET
            Result command(PQgetResult(conn_));
            check(command.r, PGRES_COMMAND_OK);
        }
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

// The rows of a result ordered by key(row), ties by row number; each with its key.
template <class KeyOf>
auto sorted_rows(const Result& r, KeyOf key)
{
    std::vector<std::pair<decltype(key(0)), int>> keyed;
    keyed.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i)
        keyed.emplace_back(key(i), i);
    // Catalog rows mostly come in the order they were made, which is often this one.
    if (!std::is_sorted(keyed.begin(), keyed.end()))
        std::sort(keyed.begin(), keyed.end());
    return keyed;
}

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
    std::string sql = "SELECT c.oid, c.relname, a.attnum, a.attname, n.nspname FROM pg_class c "
                      "JOIN pg_namespace n ON n.oid = c.relnamespace "
                      "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 WHERE c.oid IN (";
    for (std::size_t i = 0; i < references.size(); ++i)
        sql += (i ? "," : "") + std::to_string(references[i].oid);
    sql += ")";
    Result r(PQexec(conn, sql.c_str()));
    if (PQresultStatus(r.r) != PGRES_TUPLES_OK)
        throw_error(conn, r.r, sql);
    std::unordered_map<long long, std::pair<std::string, std::string>> tables;  // oid -> (schema, name)
    std::map<std::pair<long long, long long>, std::string> columns;
    for (int i = 0; i < r.rows(); ++i) {
        tables.emplace(r.number(i, 0), std::pair{std::string(r.text(i, 4)), std::string(r.text(i, 1))});
        columns.emplace(std::pair{r.number(i, 0), r.number(i, 2)}, std::string(r.text(i, 3)));
    }
    for (const auto& ref : references)
        for (auto& fk : schema.tables[ref.table].foreign_keys) {
            if (fk.name != ref.key)
                continue;
            if (auto t = tables.find(ref.oid); t != tables.end()) {
                fk.ref_schema = t->second.first;
                fk.ref_table = t->second.second;
            }
            fk.ref_columns.clear();
            for (int n : ref.columns) {
                auto c = columns.find({ref.oid, n});
                fk.ref_columns.push_back(c == columns.end() ? std::to_string(n) : c->second);
            }
        }
}

// An identity column, whose sequence's options are read afterwards.
struct Identity {
    std::size_t table;
    std::size_t column;
    long long table_oid;
    long long attnum;
};

// The options of an identity column's sequence that differ from what
// GENERATED ... AS IDENTITY gives by default, as they are written inside it.
std::string identity_options(long long start, long long increment, long long min, long long max, long long cache,
                             bool cycle, long long type_min, long long type_max)
{
    const bool up = increment > 0;
    std::string out;
    auto add = [&](const std::string& part) { out += (out.empty() ? "" : " ") + part; };
    if (start != (up ? min : max))
        add("START WITH " + std::to_string(start));
    if (increment != 1)
        add("INCREMENT BY " + std::to_string(increment));
    if (min != (up ? 1 : type_min))
        add("MINVALUE " + std::to_string(min));
    if (max != (up ? type_max : -1))
        add("MAXVALUE " + std::to_string(max));
    if (cache != 1)
        add("CACHE " + std::to_string(cache));
    if (cycle)
        add("CYCLE");
    return out;
}

// One query for the sequences of all identity columns, only when there are any.
void read_identity_options(PGconn* conn, Schema& schema, const std::vector<Identity>& identities)
{
    if (identities.empty())
        return;
    std::string sql = "SELECT d.refobjid, d.refobjsubid, s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, "
                      "s.seqcycle, s.seqtypid FROM pg_depend d JOIN pg_sequence s ON s.seqrelid = d.objid "
                      "WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass "
                      "AND d.deptype = 'i' AND d.refobjid IN (";
    for (std::size_t i = 0; i < identities.size(); ++i)
        sql += (i ? "," : "") + std::to_string(identities[i].table_oid);
    sql += ")";
    Result r(PQexec(conn, sql.c_str()));
    if (PQresultStatus(r.r) != PGRES_TUPLES_OK)
        throw_error(conn, r.r, sql);
    std::map<std::pair<long long, long long>, std::string> options;
    for (int i = 0; i < r.rows(); ++i) {
        const long long type = r.number(i, 8);  // int2 21, int4 23, int8 20
        const long long type_max = type == 21 ? 32767 : type == 23 ? 2147483647 : 9223372036854775807LL;
        options[{r.number(i, 0), r.number(i, 1)}] =
            identity_options(r.number(i, 2), r.number(i, 3), r.number(i, 4), r.number(i, 5), r.number(i, 6),
                             r.flag(i, 7), -type_max - 1, type_max);
    }
    for (const auto& id : identities)
        if (auto o = options.find({id.table_oid, id.attnum}); o != options.end())
            schema.tables[id.table].columns[id.column].identity_options = o->second;
}

// A column whose type or collation only the server can name, and its default,
// which is read in the light of the type.
struct ServerNamed {
    std::size_t table;
    std::size_t column;
    long long type_oid;   // 0: decoded already
    long long typmod;
    long long collation;  // 0: the default
    std::optional<std::string> default_text;
};

// One query for the types and collations of all such columns, only when there are any.
void name_types_and_collations(PGconn* conn, Schema& schema, const std::vector<ServerNamed>& columns)
{
    if (columns.empty())
        return;
    std::set<std::pair<long long, long long>> types;
    std::set<long long> collations;
    for (const auto& c : columns) {
        if (c.type_oid)
            types.emplace(c.type_oid, c.typmod);
        if (c.collation)
            collations.insert(c.collation);
    }
    std::string sql;
    if (!types.empty()) {
        std::vector<std::string> rows;
        for (const auto& [oid, typmod] : types)
            rows.push_back("(" + std::to_string(oid) + "::oid, " + std::to_string(typmod) + ")");
        sql = "SELECT 't', t.oid, v.m, t.typtype::text, t.typname, format_type(t.oid, v.m), t.typcollation FROM (VALUES " +
              detail::join(rows, ", ") + ") v(o, m) JOIN pg_type t ON t.oid = v.o";
    }
    if (!collations.empty()) {
        sql += sql.empty() ? "" : " UNION ALL ";
        std::vector<std::string> oids;
        for (long long oid : collations)
            oids.push_back(std::to_string(oid));
        sql += "SELECT 'c', co.oid, 0, '', co.collname, '', 0 FROM pg_collation co WHERE co.oid IN (" +
               detail::join(oids, ", ") + ")";
    }
    Result r(PQexec(conn, sql.c_str()));
    if (PQresultStatus(r.r) != PGRES_TUPLES_OK)
        throw_error(conn, r.r, sql);
    std::map<std::pair<long long, long long>, Type> named_types;
    std::unordered_map<long long, long long> type_collations;  // a domain's collation is the domain's, not the column's
    std::unordered_map<long long, std::string> collation_names;
    for (int i = 0; i < r.rows(); ++i) {
        if (r.text(i, 0) == "t") {
            named_types.emplace(std::pair{r.number(i, 1), r.number(i, 2)},
                                server_named_type(r.text(i, 3), r.text(i, 4), r.text(i, 5)));
            type_collations[r.number(i, 1)] = r.number(i, 6);
        } else
            collation_names.emplace(r.number(i, 1), std::string(r.text(i, 4)));
    }
    for (const auto& named : columns) {
        Column& c = schema.tables[named.table].columns[named.column];
        if (named.type_oid) {
            auto t = named_types.find({named.type_oid, named.typmod});
            c.type = t == named_types.end() ? Type::custom(std::to_string(named.type_oid)) : t->second;
            if (named.default_text)
                c.default_value = detail::parse_default(*named.default_text, c.type);
        }
        if (named.collation && !(named.type_oid && type_collations[named.type_oid] == named.collation))
            if (auto n = collation_names.find(named.collation); n != collation_names.end())
                c.collation = n->second;
    }
}

// Builds the model from the batch's results, one method per result, in order.
class SchemaReader {
public:
    explicit SchemaReader(std::string schema_name) : schema_name_(std::move(schema_name)) {}

    void columns(const Result& r)
    {
        // Rows come in storage order: sorted here by (table, attnum), not by the server.
        const auto rows = sorted_rows(r, [&](int i) { return std::pair{r.number(i, 0), r.number(i, 1)}; });
        struct Span {
            std::string_view name;
            long long oid;
            std::size_t begin, end;
        };
        std::vector<Span> tables;  // each table's run of rows
        for (std::size_t k = 0; k < rows.size(); ++k) {
            const long long oid = rows[k].first.first;
            if (tables.empty() || tables.back().oid != oid)
                tables.push_back({r.text(rows[k].second, 9), oid, k, k});
            tables.back().end = k + 1;
        }
        std::sort(tables.begin(), tables.end(), [](const Span& a, const Span& b) { return a.name < b.name; });
        schema_.tables.reserve(tables.size());
        for (const auto& span : tables) {
            if (detail::is_internal_table(span.name))
                continue;
            by_oid_[span.oid] = schema_.tables.size();
            Table& t = schema_.tables.emplace_back(Table{std::string(span.name)});
            table_wide(r, rows[span.begin].second, t);
            t.columns.reserve(span.end - span.begin);
            auto& by_attnum = tables_.emplace_back().column_by_attnum;
            by_attnum.assign(static_cast<std::size_t>(std::max(rows[span.end - 1].first.second, 0LL)) + 1, -1);
            for (std::size_t k = span.begin; k < span.end; ++k)
                if (const int i = rows[k].second; !r.null(i, 1)) {
                    by_attnum[static_cast<std::size_t>(rows[k].first.second)] = static_cast<int>(t.columns.size());
                    column(r, i, t);
                }
        }
    }

    void defaults(const Result& r)
    {
        for (int i = 0; i < r.rows(); ++i) {
            auto it = by_oid_.find(r.number(i, 0));
            if (it == by_oid_.end())
                continue;
            if (Column* c = column_at(it->second, r.number(i, 1)))
                apply_default(it->second, *c, std::string(r.text(i, 2)), r.flag(i, 3));
        }
    }

    void comments(const Result& r)
    {
        for (int i = 0; i < r.rows(); ++i) {
            if (r.flag(i, 3)) {  // a constraint's: constraints() comes next
                constraint_comments_[r.number(i, 0)] = std::string(r.text(i, 2));
                continue;
            }
            auto it = by_oid_.find(r.number(i, 0));
            if (it == by_oid_.end()) {  // an index's, or another relation's
                if (r.number(i, 1) == 0)
                    relation_comments_[r.number(i, 0)] = std::string(r.text(i, 2));
                continue;
            }
            Table& t = schema_.tables[it->second];
            if (auto attnum = r.number(i, 1); attnum == 0)
                t.comment = std::string(r.text(i, 2));
            else if (Column* c = column_at(it->second, attnum))
                c->comment = std::string(r.text(i, 2));
        }
    }

    void constraints(const Result& r)
    {
        for (const auto& [key, i] : sorted_rows(r, [&](int i) { return std::pair{r.number(i, 0), r.text(i, 1)}; })) {
            // A foreign key's conindid is the referenced table's index: only keys own theirs.
            if (auto kind = r.text(i, 2); kind == "p" || kind == "u" || kind == "x")
                key_indexes_.insert(r.number(i, 11));
            const auto [oid, conname] = key;
            auto it = by_oid_.find(oid);
            if (it == by_oid_.end())
                continue;
            Table& t = schema_.tables[it->second];
            std::string name(conname);
            char type = r.text(i, 2).empty() ? ' ' : r.text(i, 2)[0];
            if (!r.flag(i, 12))
                continue;  // a partition's copy of its parent's constraint
            std::string comment;
            if (auto c = constraint_comments_.find(r.number(i, 13)); c != constraint_comments_.end())
                comment = std::move(c->second);
            if (type == 'x') {
                t.exclusions.push_back(ExclusionConstraint{name, std::string(r.text(i, 9)), std::move(comment)});
                continue;
            }
            auto columns = names(oid, r.text(i, 3));
            if (type == 'p') {
                t.primary_key = PrimaryKey{name, columns, std::move(comment)};
            } else if (type == 'u') {
                t.uniques.push_back(UniqueConstraint{name, columns, r.flag(i, 7), r.flag(i, 8), std::move(comment)});
            } else if (type == 'c') {
                t.checks.push_back(CheckConstraint{name, check_body(r.text(i, 9)), std::move(comment)});
            } else if (type == 'f') {
                auto& fk = t.foreign_keys.emplace_back(foreign_key(r, i, it->second, std::move(name), std::move(columns)));
                fk.match_full = r.text(i, 14) == "f";
                fk.comment = std::move(comment);
            }
        }
    }

    void indexes(const Result& r)
    {
        // By table, then by name: a table is looked up once, and its run is counted.
        const auto rows = sorted_rows(r, [&](int i) { return std::pair{r.number(i, 0), r.text(i, 1)}; });
        std::vector<int> keys, options;
        for (std::size_t begin = 0, end = 0; begin < rows.size(); begin = end) {
            const long long oid = rows[begin].first.first;
            while (end < rows.size() && rows[end].first.first == oid)
                ++end;
            auto it = by_oid_.find(oid);
            if (it == by_oid_.end())
                continue;
            auto& indexes = schema_.tables[it->second].indexes;
            auto& index_oids = tables_[it->second].index_oids;
            indexes.reserve(indexes.size() + (end - begin));
            index_oids.reserve(index_oids.size() + (end - begin));
            for (std::size_t k = begin; k < end; ++k) {
                const int i = rows[k].second;
                if (r.flag(i, 10))
                    continue;  // a partition's copy of its parent's index
                read_numbers(r.text(i, 3), keys);
                read_numbers(r.text(i, 4), options);
                indexes.push_back(index(r, i, it->second, rows[k].first.second, keys, options));
                indexes.back().options = std::string(r.text(i, 11));
                index_oids.push_back(r.number(i, 9));
            }
        }
    }

    // After columns(): the results of rest_queries, from next() in that order.
    template <class Next>
    void rest(Next next)
    {
        defaults(next());
        comments(next());
        constraints(next());
        objects(next());
    }

    void objects(const Result& r)
    {
        for (const auto& [key, i] : sorted_rows(r, [&](int i) { return std::pair{r.text(i, 0), r.text(i, 1)}; }))
            schema_.objects.push_back(object(r, i));
    }

    // The follow-up queries, for what only the server can name; then the model.
    Schema finish(PGconn* conn)
    {
        comment_indexes();
        drop_key_indexes();
        name_types_and_collations(conn, schema_, server_named_);
        name_foreign_references(conn, schema_, foreign_references_);
        read_identity_options(conn, schema_, identities_);
        return std::move(schema_);
    }

private:
    // What row i of the columns query says of its whole table.
    static void table_wide(const Result& r, int i, Table& t)
    {
        t.row_security = r.flag(i, 10);
        t.force_row_security = r.flag(i, 11);
        t.partition_by = std::string(r.text(i, 12));
        t.partition_of = std::string(r.text(i, 13));
        t.partition_bound = std::string(r.text(i, 14));
    }

    // Decodes row i into a new last column of t; its default comes with defaults().
    void column(const Result& r, int i, Table& t)
    {
        Column& c = t.columns.emplace_back();
        c.name = std::string(r.text(i, 2));
        const auto type = builtin_type(r.number(i, 3), r.number(i, 4));
        const auto collation = r.number(i, 8);
        if (type)
            c.type = *type;
        c.nullable = !r.flag(i, 5);
        c.autoincrement = !r.text(i, 6).empty();  // identity 'a' or 'd'
        if (c.autoincrement)
            identities_.push_back({schema_.tables.size() - 1, t.columns.size() - 1, r.number(i, 0), r.number(i, 1)});
        if (r.text(i, 6) == "a")
            c.autoincrement_style = AutoincrementStyle::identity_always;
        if (r.text(i, 7) == "s")
            c.generated = Generated{{}, true};  // its expression comes with the defaults
        if (!type || (collation != 0 && collation != 100)) {
            server_named_index_[{schema_.tables.size() - 1, t.columns.size() - 1}] = server_named_.size();
            server_named_.push_back({schema_.tables.size() - 1, t.columns.size() - 1, type ? 0 : r.number(i, 3),
                                     r.number(i, 4), collation == 0 || collation == 100 ? 0 : collation, std::nullopt});
        }
    }

    // A default (or generation expression) for column c of the table at index
    // `table`: parsed now if its type is known, after the server names it if not.
    void apply_default(std::size_t table, Column& c, std::string expr, bool owned_sequence)
    {
        const auto column = static_cast<std::size_t>(&c - schema_.tables[table].columns.data());
        if (c.generated) {
            c.generated->expression = std::string(detail::trim(expr));
        } else if (owned_sequence) {
            c.autoincrement = true;
            c.autoincrement_style = AutoincrementStyle::serial;
        } else if (auto named = server_named_index_.find({table, column});
                   named != server_named_index_.end() && server_named_[named->second].type_oid) {
            server_named_[named->second].default_text = std::move(expr);
        } else {
            c.default_value = detail::parse_default(expr, c.type);
        }
    }

    // Row i of the indexes query, an index of the table at index `table`.
    Index index(const Result& r, int i, std::size_t table, std::string_view name, const std::vector<int>& keys,
                const std::vector<int>& options)
    {
        Index ix;
        ix.name = std::string(name);
        ix.unique = r.flag(i, 2);
        ix.method = std::string(r.text(i, 5));  // NULL (empty) for B-tree
        const auto key_count = std::min(keys.size(), static_cast<std::size_t>(r.number(i, 6)));
        std::vector<std::string> texts;
        if (!r.null(i, 7))
            texts = index_key_texts(r.text(i, 7));
        ix.elements.resize(key_count);
        for (std::size_t k = 0; k < key_count; ++k) {
            IndexElement& e = ix.elements[k];
            if (k < texts.size())
                decode_key_text(texts[k], e);
            if (keys[k] == 0) {
                if (e.expression.empty())
                    e.expression = "?";
            } else if (const Column* c = column_at(table, keys[k])) {
                e.expression.clear();
                e.column = c->name;
            }
            // indoption: 1 = DESC, 2 = NULLS FIRST, the default of DESC alone.
            const int option = k < options.size() ? options[k] : 0;
            e.descending = option & 1;
            if (((option >> 1) & 1) != (option & 1))
                e.nulls = option & 2 ? NullsOrder::first : NullsOrder::last;
        }
        for (std::size_t k = key_count; k < keys.size(); ++k)  // INCLUDE columns follow the keys
            if (const Column* c = column_at(table, keys[k]))
                ix.include.push_back(c->name);
        if (!r.null(i, 8))
            ix.where = std::string(r.text(i, 8));
        return ix;
    }

    ForeignKey foreign_key(const Result& r, int i, std::size_t table, std::string name, std::vector<std::string> columns)
    {
        ForeignKey fk;
        fk.name = std::move(name);
        fk.columns = std::move(columns);
        const long long ref_oid = r.number(i, 10);
        if (auto ref = by_oid_.find(ref_oid); ref != by_oid_.end())
            fk.ref_table = schema_.tables[ref->second].name;
        else
            foreign_references_.push_back({table, fk.name, ref_oid, numbers(r.text(i, 4))});
        // Referenced columns need the referenced table's attribute names, all known by now.
        fk.ref_columns = names(ref_oid, r.text(i, 4));
        fk.on_update = action(r.text(i, 5).empty() ? 'a' : r.text(i, 5)[0]);
        fk.on_delete = action(r.text(i, 6).empty() ? 'a' : r.text(i, 6)[0]);
        fk.deferrable = r.flag(i, 7);
        fk.initially_deferred = r.flag(i, 8);
        return fk;
    }

    SqlObject object(const Result& r, int i) const
    {
        SqlObject o;
        auto kind = r.text(i, 0);
        o.name = std::string(r.text(i, 1));
        o.table = std::string(r.text(i, 2));
        std::string body(detail::trim(r.text(i, 3)));
        o.comment = std::string(r.text(i, 4));
        for (auto& name : detail::split(r.text(i, 5), '\n'))
            if (!name.empty())
                o.depends_on.push_back(std::move(name));
        if (kind == "view") {
            o.kind = r.text(i, 6) == "m" ? ObjectKind::materialized_view : ObjectKind::view;
            if (body.ends_with(';'))
                body.pop_back();
            o.definition.on("postgresql", body);
        } else if (auto other = object_kind_from(kind);
                   other && (*other == ObjectKind::domain || *other == ObjectKind::composite_type ||
                             *other == ObjectKind::sequence || *other == ObjectKind::index || *other == ObjectKind::policy)) {
            o.kind = *other;  // a domain, composite type, sequence, index or policy: its CREATE statement
            o.definition.on("postgresql", o.kind == ObjectKind::index ? without_schema_qualifier(body, schema_name_, {"on"}) : body);
        } else if (kind == "trigger") {
            o.kind = ObjectKind::trigger;
            o.definition.on("postgresql", body);
        } else if (kind == "function") {
            o.kind = ObjectKind::function;
            o.definition.on("postgresql", without_schema_qualifier(body, schema_name_));
        } else if (kind == "enum") {
            o.kind = ObjectKind::enum_type;
            for (const auto& t : detail::tokenize(body, {.brackets = false}))
                if (t.kind == detail::TokenKind::string)
                    o.values.push_back(detail::unquote_string(t.text));
        } else {
            o.kind = ObjectKind::extension;
            o.definition.on("postgresql", "");
        }
        return o;
    }

    // Unique and exclusion constraints have an index of their own, which the
    // indexes query returns too: the model keeps the constraint only.
    void comment_indexes()
    {
        if (relation_comments_.empty())
            return;
        for (std::size_t t = 0; t < tables_.size(); ++t)
            for (std::size_t k = 0; k < tables_[t].index_oids.size(); ++k)
                if (auto c = relation_comments_.find(tables_[t].index_oids[k]); c != relation_comments_.end())
                    schema_.tables[t].indexes[k].comment = c->second;
    }

    void drop_key_indexes()
    {
        for (std::size_t t = 0; t < tables_.size(); ++t) {
            auto& indexes = schema_.tables[t].indexes;
            const auto& index_oids = tables_[t].index_oids;
            std::size_t kept = 0;
            for (std::size_t k = 0; k < indexes.size(); ++k) {
                if (key_indexes_.count(index_oids[k]))
                    continue;
                if (kept != k)
                    indexes[kept] = std::move(indexes[k]);
                ++kept;
            }
            indexes.resize(kept);
        }
    }

    // The column with attribute number attnum of the table at index `table`.
    Column* column_at(std::size_t table, long long attnum)
    {
        const auto& by_attnum = tables_[table].column_by_attnum;
        if (attnum <= 0 || static_cast<std::size_t>(attnum) >= by_attnum.size() || by_attnum[static_cast<std::size_t>(attnum)] < 0)
            return nullptr;
        return &schema_.tables[table].columns[static_cast<std::size_t>(by_attnum[static_cast<std::size_t>(attnum)])];
    }

    // Attribute numbers ("{1,2}") -> column names of the table; numbers for a
    // table of another schema, named later.
    std::vector<std::string> names(long long table_oid, std::string_view keys)
    {
        std::vector<std::string> out;
        const auto table = by_oid_.find(table_oid);
        for (int n : numbers(keys)) {
            const Column* c = table == by_oid_.end() ? nullptr : column_at(table->second, n);
            out.push_back(c ? c->name : std::to_string(n));
        }
        return out;
    }

    std::string schema_name_;
    Schema schema_;
    std::unordered_map<long long, std::size_t> by_oid_;
    // What the model does not keep of a table, in the order of schema_.tables.
    struct TableState {
        std::vector<int> column_by_attnum;  // attnum -> column index or -1, for keys given as numbers
        std::vector<long long> index_oids;  // of its indexes, in their order
    };
    std::vector<TableState> tables_;
    std::vector<ForeignReference> foreign_references_;
    std::unordered_set<long long> key_indexes_;  // the indexes of unique, primary and exclusion keys
    std::unordered_map<long long, std::string> constraint_comments_;  // by constraint OID
    std::unordered_map<long long, std::string> relation_comments_;    // of indexes, by OID
    std::vector<Identity> identities_;
    std::vector<ServerNamed> server_named_;
    std::map<std::pair<std::size_t, std::size_t>, std::size_t> server_named_index_;  // (table, column) -> entry
};

}  // namespace

namespace {

Schema read_schema_once(PGconn* conn)
{
    // Inside the caller's transaction (a step reading what it changed) the read
    // shares its snapshot; otherwise it opens a read-only one of its own.
    const bool own_snapshot = PQtransactionStatus(conn) == PQTRANS_IDLE;
    struct Snapshot {
        PGconn* conn;
        bool open;
        ~Snapshot()
        {
            if (open)
                PQclear(PQexec(conn, "ROLLBACK"));  // read only: nothing to keep
        }
    } snapshot{conn, own_snapshot};
    Batch batch(conn, std::vector<const char*>(std::begin(catalog_queries), std::end(catalog_queries)), own_snapshot);
    auto schema = batch.next();
    if (schema.rows() == 0)
        return Schema{};  // the search_path names a schema that does not exist (yet)
    SchemaReader reader{std::string(schema.text(0, 1))};
    reader.columns(batch.next());
    reader.indexes(batch.next());
    reader.rest([&] { return batch.next(); });
    batch.finish();
    return reader.finish(conn);
}

}  // namespace

std::string catalog_read_sql()
{
    return std::string(begin_snapshot) + ";" +
           batch_sql(std::vector<const char*>(std::begin(catalog_queries), std::end(catalog_queries)));
}

Schema read_schema(PGconn* conn)
{
    // The server renders definitions (pg_get_indexdef, pg_get_viewdef, ...) from
    // its catalog caches, which follow the latest commit rather than the read's
    // snapshot: an object dropped beside the read fails it with "cache lookup
    // failed" (XX000). The read then starts again from a new snapshot.
    for (int attempt = 1;; ++attempt) {
        try {
            return read_schema_once(conn);
        } catch (const DatabaseError& e) {
            const bool own_snapshot = PQtransactionStatus(conn) == PQTRANS_IDLE;
            if (e.context().sqlstate != "XX000" || !own_snapshot || attempt == 8)
                throw;
            detail::logger().debug("postgresql: the schema changed during the read ({}); reading again", e.message());
        }
    }
}

}  // namespace strata::postgresql
