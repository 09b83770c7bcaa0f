// Reads a SQLite schema back into the model from the CREATE statements SQLite
// keeps in sqlite_schema: one query for the whole database. The pragmas would
// cost a query per table (or slow joins) and still miss CHECK names, partial
// index predicates and index expressions, which only the CREATE text holds.
#include "errors.hpp"
#include "literal.hpp"
#include "sql_dialect.hpp"
#include "sql_tokenizer.hpp"
#include "sqlite_dialect.hpp"
#include "strata/errors.hpp"
#include "text.hpp"

#include <sqlite3.h>

#include <condition_variable>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <system_error>
#include <unordered_map>

namespace strata::sqlite {

namespace {

using detail::Token;
using detail::TokenKind;

[[noreturn]] void unreadable(const std::string& what, std::string_view sql)
{
    throw DatabaseError(DatabaseErrorKind::schema, "cannot read the schema: " + what,
                        ErrorContext{.sql = std::string(sql)});
}

// Words SQLite gives a column constraint; the declared type ends before one.
bool starts_column_constraint(const Token& t)
{
    if (t.kind != TokenKind::word || t.text.size() < 2)
        return false;
    switch (t.text[0] >= 'A' && t.text[0] <= 'Z' ? t.text[0] + ('a' - 'A') : t.text[0]) {
    case 'a': return t.is_word("as");
    case 'c': return t.is_word("constraint") || t.is_word("check") || t.is_word("collate");
    case 'd': return t.is_word("default");
    case 'g': return t.is_word("generated");
    case 'n': return t.is_word("not") || t.is_word("null");
    case 'p': return t.is_word("primary");
    case 'r': return t.is_word("references");
    case 'u': return t.is_word("unique");
    default: return false;
    }
}

FkAction action(const Token& first, const Token* second)
{
    if (first.is_word("cascade"))
        return FkAction::cascade;
    if (first.is_word("restrict"))
        return FkAction::restrict;
    if (first.is_word("set") && second && second->is_word("null"))
        return FkAction::set_null;
    if (first.is_word("set") && second && second->is_word("default"))
        return FkAction::set_default;
    return FkAction::no_action;
}

// A view of tokens [begin, end) of one statement.
class Cursor {
public:
    Cursor(std::string_view sql, const std::vector<Token>& tokens, std::size_t begin, std::size_t end)
        : sql_(sql), t_(tokens), i_(begin), end_(end) {}

    bool done() const { return i_ >= end_; }
    const Token& peek(std::size_t ahead = 0) const
    {
        static const Token none{};
        return i_ + ahead < end_ ? t_[i_ + ahead] : none;
    }
    std::size_t position() const { return i_; }
    void advance(std::size_t n = 1) { i_ += n; }
    bool accept(std::string_view word)
    {
        if (peek().is_word(word)) {
            ++i_;
            return true;
        }
        return false;
    }
    bool accept_punct(char c)
    {
        if (peek().is_punct(c)) {
            ++i_;
            return true;
        }
        return false;
    }
    std::string identifier()
    {
        const auto& t = peek();
        if (t.kind == TokenKind::word || t.kind == TokenKind::quoted_identifier) {
            ++i_;
            return detail::unquote_identifier(t.text);
        }
        if (t.kind == TokenKind::string) {  // SQLite accepts 'name' where an identifier goes
            ++i_;
            return detail::unquote_string(t.text);
        }
        unreadable("expected a name at '" + std::string(t.text) + "'", sql_);
    }
    // [schema.]name
    std::string qualified_name()
    {
        auto n = identifier();
        if (accept_punct('.'))
            n = identifier();
        return n;
    }
    // At '(': the index just past the matching ')'.
    std::size_t matching(std::size_t open) const
    {
        int depth = 0;
        for (std::size_t k = open; k < end_; ++k) {
            if (t_[k].is_punct('('))
                ++depth;
            else if (t_[k].is_punct(')') && --depth == 0)
                return k + 1;
        }
        unreadable("unbalanced parentheses", sql_);
    }
    // Source text of tokens [from, to), as written.
    std::string text(std::size_t from, std::size_t to) const
    {
        if (from >= to)
            return {};
        auto b = t_[from].offset;
        auto e = t_[to - 1].offset + t_[to - 1].text.size();
        return std::string(sql_.substr(b, e - b));
    }
    // "(...)": the text inside, and the cursor past it.
    std::string parenthesized()
    {
        if (!peek().is_punct('('))
            unreadable("expected '(' at '" + std::string(peek().text) + "'", sql_);
        auto close = matching(i_);
        auto inner = text(i_ + 1, close - 1);
        i_ = close;
        return inner;
    }
    // Top-level comma-separated items between i_ (at '(') and the matching ')'.
    std::vector<std::pair<std::size_t, std::size_t>> items()
    {
        auto close = matching(i_);
        std::vector<std::pair<std::size_t, std::size_t>> out;
        int depth = 0;
        std::size_t start = i_ + 1;
        for (std::size_t k = i_ + 1; k < close - 1; ++k) {
            if (t_[k].is_punct('('))
                ++depth;
            else if (t_[k].is_punct(')'))
                --depth;
            else if (t_[k].is_punct(',') && depth == 0) {
                out.emplace_back(start, k);
                start = k + 1;
            }
        }
        if (start < close - 1)
            out.emplace_back(start, close - 1);
        i_ = close;
        return out;
    }
    Cursor sub(std::size_t begin, std::size_t end) const { return Cursor(sql_, t_, begin, end); }
    std::string_view sql() const { return sql_; }

private:
    std::string_view sql_;
    const std::vector<Token>& t_;
    std::size_t i_;
    std::size_t end_;
};

std::vector<std::string> column_names(Cursor& c)
{
    std::vector<std::string> out;
    for (auto [b, e] : c.items()) {
        auto item = c.sub(b, e);
        out.push_back(item.identifier());  // COLLATE / ASC / DESC after the name do not matter here
    }
    return out;
}

void read_references(Cursor& c, ForeignKey& fk)
{
    fk.ref_table = c.qualified_name();
    if (c.peek().is_punct('('))
        fk.ref_columns = column_names(c);
    while (!c.done()) {
        if (c.accept("on")) {
            bool del = c.accept("delete");
            if (!del)
                c.accept("update");
            const Token first = c.peek();
            c.advance();
            const Token* second = nullptr;
            Token next = c.peek();
            if (first.is_word("set") || first.is_word("no")) {
                second = &next;
                c.advance();
            }
            (del ? fk.on_delete : fk.on_update) = action(first, second);
        } else if (c.accept("match")) {
            c.advance();
        } else if (c.peek().is_word("not") && c.peek(1).is_word("deferrable")) {
            c.advance(2);
            if (c.accept("initially"))
                c.advance();
        } else if (c.accept("deferrable")) {
            fk.deferrable = true;
            if (c.accept("initially")) {
                fk.initially_deferred = c.peek().is_word("deferred");
                c.advance();
            }
        } else {
            break;
        }
    }
}

void skip_conflict_clause(Cursor& c)
{
    if (c.peek().is_word("on") && c.peek(1).is_word("conflict"))
        c.advance(3);
}

// "VARCHAR ( 20 )" -> base "VARCHAR", arguments 20; the base in upper case with
// single spaces. No allocation beyond the base (short enough for the small-string buffer).
Type type_from_declared(std::string_view declared)
{
    std::string base;
    int args[2] = {0, 0};
    int arg_count = 0;
    std::size_t i = 0;
    bool space = false;
    for (; i < declared.size() && declared[i] != '('; ++i) {
        char c = declared[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !base.empty();
            continue;
        }
        if (space)
            base += ' ';
        space = false;
        base += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
    }
    if (i < declared.size()) {
        for (++i; i < declared.size() && declared[i] != ')' && arg_count < 2; ++i) {
            if (declared[i] >= '0' && declared[i] <= '9') {
                int v = 0;
                while (i < declared.size() && declared[i] >= '0' && declared[i] <= '9')
                    v = v * 10 + (declared[i++] - '0');
                args[arg_count++] = v;
                --i;
            }
        }
    }
    struct Known {
        std::string_view name;
        TypeKind kind;
    };
    static constexpr Known known[] = {
        {"INTEGER", TypeKind::integer}, {"INT", TypeKind::integer}, {"MEDIUMINT", TypeKind::integer},
        {"INT4", TypeKind::integer}, {"BIGINT", TypeKind::bigint}, {"INT8", TypeKind::bigint},
        {"UNSIGNED BIG INT", TypeKind::bigint}, {"SMALLINT", TypeKind::smallint}, {"TINYINT", TypeKind::smallint},
        {"INT2", TypeKind::smallint}, {"BOOLEAN", TypeKind::boolean}, {"BOOL", TypeKind::boolean},
        {"REAL", TypeKind::real}, {"FLOAT4", TypeKind::real}, {"DOUBLE PRECISION", TypeKind::double_},
        {"DOUBLE", TypeKind::double_}, {"FLOAT", TypeKind::double_}, {"FLOAT8", TypeKind::double_},
        {"NUMERIC", TypeKind::numeric}, {"DECIMAL", TypeKind::numeric}, {"TEXT", TypeKind::text},
        {"CLOB", TypeKind::text}, {"VARCHAR", TypeKind::varchar}, {"CHARACTER VARYING", TypeKind::varchar},
        {"VARYING CHARACTER", TypeKind::varchar}, {"NVARCHAR", TypeKind::varchar}, {"BLOB", TypeKind::blob},
        {"BYTEA", TypeKind::blob}, {"TIMESTAMP", TypeKind::timestamp}, {"DATETIME", TypeKind::timestamp},
        {"TIMESTAMP WITHOUT TIME ZONE", TypeKind::timestamp}, {"TIMESTAMPTZ", TypeKind::timestamptz},
        {"TIMESTAMP WITH TIME ZONE", TypeKind::timestamptz}, {"DATE", TypeKind::date}, {"JSON TEXT", TypeKind::json},
        {"JSON", TypeKind::json}, {"JSONB", TypeKind::json}, {"UUID TEXT", TypeKind::uuid}, {"UUID", TypeKind::uuid},
    };
    for (const auto& k : known) {
        if (k.name != base)
            continue;
        switch (k.kind) {
        case TypeKind::numeric: return Type::numeric(args[0], args[1]);
        case TypeKind::varchar: return Type::varchar(args[0]);
        default: return arg_count == 0 ? Type{k.kind} : Type::custom(std::string(detail::trim(declared)));
        }
    }
    return Type::custom(std::string(detail::trim(declared)));
}

struct PendingColumn {
    Column column;
    std::string declared;
    bool primary_key = false;
    std::string primary_key_name;
    std::optional<std::string> default_text;
};

// Returns the declared type as written: only exactly "INTEGER" aliases the rowid.
std::string read_column(Cursor c, Table& t)
{
    PendingColumn p;
    p.column.name = c.identifier();
    std::size_t type_start = c.position();
    while (!c.done() && !starts_column_constraint(c.peek())) {
        if (c.peek().is_punct('('))
            c.advance(c.matching(c.position()) - c.position());
        else
            c.advance();
    }
    p.declared = c.text(type_start, c.position());
    p.column.type = type_from_declared(p.declared);
    p.column.nullable = true;

    std::string name;
    while (!c.done()) {
        if (c.accept("constraint")) {
            name = c.identifier();
            continue;
        }
        if (c.accept("primary")) {
            c.accept("key");
            c.accept("asc") || c.accept("desc");
            skip_conflict_clause(c);
            p.primary_key = true;
            p.primary_key_name = name;
            if (c.accept("autoincrement"))
                p.column.autoincrement = true;
        } else if (c.accept("not")) {
            c.accept("null");
            skip_conflict_clause(c);
            p.column.nullable = false;
        } else if (c.accept("null")) {
            skip_conflict_clause(c);
        } else if (c.accept("unique")) {
            skip_conflict_clause(c);
            t.uniques.push_back(UniqueConstraint{name, {p.column.name}});
        } else if (c.accept("check")) {
            t.checks.push_back(CheckConstraint{name, std::string(detail::trim(c.parenthesized()))});
        } else if (c.accept("default")) {
            std::size_t start = c.position();
            if (c.peek().is_punct('('))
                c.advance(c.matching(start) - start);
            else if (c.peek().kind == TokenKind::op && (c.peek().text == "-" || c.peek().text == "+"))
                c.advance(2);
            else
                c.advance();
            p.default_text = c.text(start, c.position());
        } else if (c.accept("collate")) {
            p.column.collation = c.identifier();
        } else if (c.accept("references")) {
            ForeignKey fk;
            fk.name = name;
            fk.columns = {p.column.name};
            read_references(c, fk);
            t.foreign_keys.push_back(std::move(fk));
        } else if (c.accept("generated") || c.peek().is_word("as")) {
            c.accept("always");
            c.accept("as");
            Generated g;
            g.expression = std::string(detail::trim(c.parenthesized()));
            g.stored = c.accept("stored");
            if (!g.stored)
                c.accept("virtual");
            p.column.generated = std::move(g);
        } else {
            unreadable("unexpected '" + std::string(c.peek().text) + "' in column '" + p.column.name + "' of table '" +
                           t.name + "'",
                       c.sql());
        }
        name.clear();
    }
    if (p.primary_key)
        t.primary_key = PrimaryKey{p.primary_key_name, {p.column.name}};
    if (p.default_text)
        p.column.default_value = detail::parse_default(*p.default_text, p.column.type);
    t.columns.push_back(std::move(p.column));
    return p.declared;
}

void read_table_constraint(Cursor c, Table& t)
{
    std::string name;
    if (c.accept("constraint"))
        name = c.identifier();
    if (c.accept("primary")) {
        c.accept("key");
        t.primary_key = PrimaryKey{name, column_names(c)};
    } else if (c.accept("unique")) {
        t.uniques.push_back(UniqueConstraint{name, column_names(c)});
    } else if (c.accept("check")) {
        t.checks.push_back(CheckConstraint{name, std::string(detail::trim(c.parenthesized()))});
    } else if (c.accept("foreign")) {
        c.accept("key");
        ForeignKey fk;
        fk.name = name;
        fk.columns = column_names(c);
        if (!c.accept("references"))
            unreadable("FOREIGN KEY without REFERENCES in table '" + t.name + "'", c.sql());
        read_references(c, fk);
        t.foreign_keys.push_back(std::move(fk));
    } else {
        unreadable("unexpected '" + std::string(c.peek().text) + "' in table '" + t.name + "'", c.sql());
    }
}

bool is_table_constraint(const Token& t)
{
    return t.is_word("constraint") || t.is_word("primary") || t.is_word("unique") || t.is_word("check") ||
           t.is_word("foreign");
}

const detail::TokenizerOptions sqlite_tokens{.dollar_quotes = false, .brackets = true, .backticks = true};

Table read_create_table(std::string_view sql, std::vector<Token>& tokens)
{
    detail::tokenize_into(tokens, sql, sqlite_tokens);
    Cursor c(sql, tokens, 0, tokens.size());
    c.accept("create");
    c.accept("temp") || c.accept("temporary");
    if (!c.accept("table"))
        unreadable("not a CREATE TABLE statement", sql);
    if (c.accept("if")) {
        c.accept("not");
        c.accept("exists");
    }
    Table t;
    t.name = c.qualified_name();
    std::vector<std::string> declared;  // per column, as written
    auto items = c.items();
    t.columns.reserve(items.size());
    declared.reserve(items.size());
    for (auto [b, e] : items) {
        if (is_table_constraint(tokens[b]))
            read_table_constraint(c.sub(b, e), t);
        else
            declared.push_back(read_column(c.sub(b, e), t));
    }
    while (!c.done()) {
        if (c.accept("without")) {
            c.accept("rowid");
            t.without_rowid = true;
        } else if (c.accept("strict")) {
            t.strict = true;
        } else {
            c.advance();  // commas
        }
    }
    // NOT NULL as declared: SQLite lets a key column of a rowid table hold NULL
    // unless it says NOT NULL, and a copy must keep that.
    if (t.primary_key) {
        // Only a column declared exactly INTEGER aliases the rowid, a 64-bit integer
        // whatever the declared width. Another integer type keeps its words, so that
        // rendering it again never makes it an alias (which would assign ids where
        // the original refused a NULL).
        if (auto* col = t.primary_key->columns.size() == 1 ? t.find_column(t.primary_key->columns[0]) : nullptr;
            col && !t.without_rowid) {
            const auto& words = declared[static_cast<std::size_t>(col - t.columns.data())];
            if (detail::iequals(detail::trim(words), "INTEGER"))
                col->type = Type::bigint();
            else if (col->type.is_integer())
                col->type = Type::custom(std::string(detail::trim(words)));
        }
    }
    // The type as declared: a copy keeps its affinity ("JSON" is NUMERIC, "JSON TEXT" is TEXT) and its spelling.
    for (std::size_t i = 0; i < t.columns.size() && i < declared.size(); ++i)
        t.columns[i].type.declared = std::string(detail::trim(declared[i]));
    return t;
}

struct ParsedIndex {
    std::string table;
    Index index;
};

ParsedIndex read_create_index(std::string_view sql, std::vector<Token>& tokens)
{
    detail::tokenize_into(tokens, sql, sqlite_tokens);
    Cursor c(sql, tokens, 0, tokens.size());
    ParsedIndex out;
    c.accept("create");
    out.index.unique = c.accept("unique");
    if (!c.accept("index"))
        unreadable("not a CREATE INDEX statement", sql);
    if (c.accept("if")) {
        c.accept("not");
        c.accept("exists");
    }
    out.index.name = c.qualified_name();
    c.accept("on");
    out.table = c.identifier();
    for (auto [b, e] : c.items()) {
        IndexElement element;
        if (e > b && (tokens[e - 1].is_word("desc") || tokens[e - 1].is_word("asc"))) {
            element.descending = tokens[e - 1].is_word("desc");
            --e;
        }
        if (e == b + 1 && (tokens[b].kind == TokenKind::word || tokens[b].kind == TokenKind::quoted_identifier)) {
            element.column = detail::unquote_identifier(tokens[b].text);
        } else {
            auto item = c.sub(b, e);
            std::string text = item.text(b, e);
            // "(lower(email))": the parentheses only group.
            if (tokens[b].is_punct('(') && item.matching(b) == e)
                text = item.text(b + 1, e - 1);
            element.expression = std::string(detail::trim(text));
        }
        out.index.elements.push_back(std::move(element));
    }
    if (c.accept("where"))
        out.index.where = std::string(detail::trim(sql.substr(c.peek().offset)));
    return out;
}

// The view's SELECT; the whole statement when it names its columns, which the
// SELECT alone would lose.
std::string read_view_definition(std::string_view sql)
{
    auto tokens = detail::tokenize(sql, sqlite_tokens);
    int depth = 0;
    bool column_list = false;
    for (const auto& t : tokens) {
        if (t.is_punct('(')) {
            column_list = column_list || depth == 0;
            ++depth;
        } else if (t.is_punct(')')) {
            --depth;
        } else if (depth == 0 && t.is_word("as")) {
            return std::string(detail::trim(column_list ? sql : sql.substr(t.offset + 2)));
        }
    }
    unreadable("a view without AS", sql);
}

// sqlite_schema's rows, read in chunks that own their text, so that one
// thread parses a chunk while the reader fills the next.
struct Chunk {
    struct Span {
        std::size_t offset = 0, size = 0;
    };
    struct Row {
        char type = 0;  // 't'able, 'i'ndex, 'v'iew, 'r' trigger
        Span name, table, sql;
    };
    static constexpr std::size_t rows_per_chunk = 128;

    std::string text;  // every row's name, table and SQL, one after another
    std::vector<Row> rows;
    std::vector<Table> tables;  // parsed from the rows
    std::vector<ParsedIndex> indexes;

    std::string_view view(Span s) const { return {text.data() + s.offset, s.size}; }
    Span keep(const char* p, int size)
    {
        Span span{text.size(), p ? static_cast<std::size_t>(size) : 0};
        if (p)
            text.append(p, span.size);
        return span;
    }
    void parse()
    {
        std::vector<Token> tokens;  // reused for every statement
        for (const auto& row : rows) {
            if (row.type == 't') {
                tables.push_back(read_create_table(view(row.sql), tokens));
                tables.back().name = std::string(view(row.name));
            } else if (row.type == 'i') {
                indexes.push_back(read_create_index(view(row.sql), tokens));
            }
        }
    }
};

// Parses the chunks the reader hands over. From the second full chunk on (a
// large schema) a second thread parses while the reader reads on; the reader
// joins in once it has read the last row. SQLite has just spent longer parsing
// the same text on one core, and the other would otherwise idle.
class ChunkParser {
public:
    ChunkParser() = default;
    ChunkParser(const ChunkParser&) = delete;
    ChunkParser& operator=(const ChunkParser&) = delete;
    ~ChunkParser()
    {
        end_of_rows();
        if (helper_.valid())
            helper_.wait();
    }

    void add(std::unique_ptr<Chunk> chunk)
    {
        const bool full = chunk->rows.size() == Chunk::rows_per_chunk;
        std::size_t count;
        {
            std::lock_guard lock(mutex_);
            chunks_.push_back(std::move(chunk));
            count = chunks_.size();
        }
        ready_.notify_one();
        if (full && count == 2 && !helper_.valid())
            start_helper();
    }

    // After the last row: parses what is left, on this thread and the helper.
    std::vector<std::unique_ptr<Chunk>> finish()
    {
        end_of_rows();
        parse_until_none_left();
        if (helper_.valid())
            helper_.get();  // rethrows what the helper threw
        return std::move(chunks_);
    }

private:
    void start_helper()
    {
        try {
            helper_ = std::async(std::launch::async, [this] { parse_until_none_left(); });
        } catch (const std::system_error&) {
            // No thread to be had (a process at its limit): the reader parses everything.
        }
    }

    void end_of_rows()
    {
        {
            std::lock_guard lock(mutex_);
            reading_ = false;
        }
        ready_.notify_all();
    }

    void parse_until_none_left()
    {
        for (;;) {
            Chunk* chunk = nullptr;
            {
                std::unique_lock lock(mutex_);
                ready_.wait(lock, [this] { return next_ < chunks_.size() || !reading_; });
                if (next_ == chunks_.size())
                    return;
                chunk = chunks_[next_++].get();  // chunks live on the heap: safe when the vector grows
            }
            chunk->parse();
        }
    }

    std::mutex mutex_;
    std::condition_variable ready_;
    std::vector<std::unique_ptr<Chunk>> chunks_;
    std::size_t next_ = 0;  // the first chunk nobody parses yet
    bool reading_ = true;
    std::future<void> helper_;
};

// Reads sqlite_schema in rowid order into chunks handed to `parser`, leaving
// out SQLite's own objects, strata's tables and virtual tables. With `only`, the
// rows of those tables (the table, its indexes and triggers) and every view.
void read_rows(sqlite3* db, ChunkParser& parser, const std::vector<std::string>* only)
{
    std::string query = "SELECT type, name, tbl_name, sql FROM sqlite_schema";
    if (only) {
        query += " WHERE type = 'view' OR tbl_name IN (";
        for (std::size_t i = 0; i < only->size(); ++i)
            query += i ? ", ?" : "?";
        query += ")";
    }
    query += " ORDER BY rowid";
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db, query.c_str(), -1, &stmt, nullptr);
    if (rc != SQLITE_OK)
        throw_error(db, rc, query);
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> finalize(stmt, sqlite3_finalize);
    if (only)
        for (std::size_t i = 0; i < only->size(); ++i)
            sqlite3_bind_text(stmt, static_cast<int>(i + 1), (*only)[i].c_str(), static_cast<int>((*only)[i].size()),
                              SQLITE_STATIC);
    auto chunk = std::make_unique<Chunk>();
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        auto* type = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
        auto* name = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1));
        auto* table = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 2));
        auto* sql = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
        if (!type || !name || !sql || std::string_view(name).starts_with("sqlite_") ||
            detail::is_internal_table(table ? table : ""))
            continue;
        Chunk::Row row;
        row.type = type[0] == 't' ? (type[1] == 'a' ? 't' : 'r') : type[0];
        if (row.type == 't' && detail::istarts_with(detail::trim(sql), "create virtual"))
            continue;  // virtual tables (FTS, R-tree) are not managed by strata
        row.name = chunk->keep(name, sqlite3_column_bytes(stmt, 1));
        row.table = chunk->keep(table, sqlite3_column_bytes(stmt, 2));
        row.sql = chunk->keep(sql, sqlite3_column_bytes(stmt, 3));
        chunk->rows.push_back(row);
        if (chunk->rows.size() == Chunk::rows_per_chunk) {
            parser.add(std::move(chunk));
            chunk = std::make_unique<Chunk>();
        }
    }
    if (rc != SQLITE_DONE)
        throw_error(db, rc, query);
    if (!chunk->rows.empty())
        parser.add(std::move(chunk));
}

// `with_parents`: a partial read also reads the tables its foreign keys name
// without columns, for their primary keys.
Schema read(sqlite3* db, const std::vector<std::string>* only, bool with_parents)
{
    ChunkParser parser;
    read_rows(db, parser, only);
    const auto chunks = parser.finish();

    Schema schema;
    std::size_t table_count = 0;
    for (const auto& chunk : chunks)
        table_count += chunk->tables.size();
    schema.tables.reserve(table_count);
    std::unordered_map<std::string_view, std::size_t> table_index;  // names live in the chunks
    table_index.reserve(table_count);
    for (const auto& chunk : chunks) {
        for (auto& t : chunk->tables)
            schema.tables.push_back(std::move(t));
        for (const auto& row : chunk->rows)
            if (row.type == 't')
                table_index.emplace(chunk->view(row.name), table_index.size());
    }
    for (const auto& chunk : chunks)
        for (auto& ix : chunk->indexes)
            if (auto it = table_index.find(ix.table); it != table_index.end())
                schema.tables[it->second].indexes.push_back(std::move(ix.index));
    for (const auto& chunk : chunks)
        for (const auto& row : chunk->rows) {
            if (row.type != 'v' && row.type != 'r')
                continue;
            SqlObject o;
            o.kind = row.type == 'v' ? ObjectKind::view : ObjectKind::trigger;
            o.name = std::string(chunk->view(row.name));
            if (row.type == 'v') {
                o.definition.on("sqlite", read_view_definition(chunk->view(row.sql)));
            } else {
                o.table = std::string(chunk->view(row.table));
                o.definition.on("sqlite", std::string(detail::trim(chunk->view(row.sql))));
            }
            schema.objects.push_back(std::move(o));
        }
    std::vector<std::string> parents_elsewhere;  // of a partial read
    for (auto& t : schema.tables) {
        for (auto& fk : t.foreign_keys) {
            if (!fk.ref_columns.empty())
                continue;
            if (auto it = table_index.find(fk.ref_table); it != table_index.end()) {
                if (const auto& ref = schema.tables[it->second]; ref.primary_key)
                    fk.ref_columns = ref.primary_key->columns;
            } else if (only && with_parents && std::find(parents_elsewhere.begin(), parents_elsewhere.end(), fk.ref_table) ==
                                   parents_elsewhere.end()) {
                parents_elsewhere.push_back(fk.ref_table);
            }
        }
    }
    if (!parents_elsewhere.empty()) {
        // "REFERENCES parent" means the parent's primary key: read those parents too.
        const auto parents = read(db, &parents_elsewhere, false);
        for (auto& t : schema.tables)
            for (auto& fk : t.foreign_keys)
                if (fk.ref_columns.empty())
                    if (const auto* ref = parents.find_table(fk.ref_table); ref && ref->primary_key)
                        fk.ref_columns = ref->primary_key->columns;
    }
    return schema;
}

}  // namespace

Schema read_schema(sqlite3* db, const std::vector<std::string>* only)
{
    return read(db, only, true);
}

}  // namespace strata::sqlite
