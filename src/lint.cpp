// The online-safety linter: each rule is a check over one op or one SQL
// statement of a step, against the tables the step found (a table the same
// step creates is empty, so nothing about it can hurt).
#include "strata/lint.hpp"

#include "plan.hpp"
#include "sql_tokenizer.hpp"
#include "strata/dialect.hpp"
#include "strata/errors.hpp"
#include "text.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace strata {

namespace {

constexpr std::array kRules{
    LintRule{"index-not-concurrent", "CREATE INDEX without CONCURRENTLY on an existing table", false},
    LintRule{"drop-index-not-concurrent", "DROP INDEX without CONCURRENTLY", false},
    LintRule{"constraint-not-valid", "a FOREIGN KEY or CHECK added to an existing table without NOT VALID", false},
    LintRule{"set-not-null", "SET NOT NULL on an existing column without a validated CHECK", false},
    LintRule{"volatile-default", "ADD COLUMN whose value differs per row (volatile default, identity, serial, stored "
                                 "generated): a rewrite", false},
    LintRule{"type-change", "a column's type changed in place: a rewrite", false},
    LintRule{"unique-constraint", "UNIQUE or PRIMARY KEY added to an existing table without USING INDEX", false},
    LintRule{"rename-column", "a column renamed under the running release", true},
    LintRule{"rename-table", "a table renamed under the running release", true},
    LintRule{"drop-column", "a column dropped under the running release", true},
    LintRule{"drop-table", "a table dropped under the running release", true},
    LintRule{"concurrently-in-transaction", "CONCURRENTLY in a step that runs in a transaction", false},
    LintRule{"no-lock-timeout", "DDL with its lock wait unbounded", false},
    LintRule{"table-rewrite-command", "VACUUM FULL or CLUSTER in a migration", false},
};

// Functions whose value differs per row (PostgreSQL's volatile built-ins and
// the usual extensions'); now() and friends are stable: one value per statement.
bool is_volatile_function(std::string_view name)
{
    static const std::set<std::string, std::less<>> names{
        "random",          "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
        "clock_timestamp", "timeofday",       "nextval",          "txid_current",       "setseed",
        "random_normal",   "uuidv4",          "uuidv7"};
    return names.count(detail::lower(name)) > 0;
}

// The first volatile call in an expression ("random()"), or "".
std::string volatile_call(std::string_view expression)
{
    const auto tokens = detail::tokenize(expression);
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i)
        if (tokens[i].is(detail::TokenKind::word) && tokens[i + 1].is_punct('(') && is_volatile_function(tokens[i].text))
            return detail::lower(tokens[i].text) + "()";
    return {};
}

// PostgreSQL changes these types without touching the rows.
bool is_binary_coercible(const Type& from, const Type& to)
{
    const bool from_text = from.kind == TypeKind::text || from.kind == TypeKind::varchar;
    if (to.kind == TypeKind::text && from_text)
        return true;
    if (to.kind == TypeKind::varchar && from.kind == TypeKind::varchar)
        return to.length == 0 || (from.length != 0 && to.length >= from.length);
    if (to.kind == TypeKind::numeric && from.kind == TypeKind::numeric)
        return to.precision == 0 || (from.precision != 0 && to.precision >= from.precision && to.scale == from.scale);
    return false;
}

// A statement's words, read left to right.
class Words {
public:
    Words() = default;
    explicit Words(std::string_view sql)
    {
        for (auto& t : detail::tokenize(sql))
            if (!t.is(detail::TokenKind::end) && !t.is(detail::TokenKind::error))
                tokens_.push_back(t);
    }
    [[nodiscard]] bool done() const { return i_ >= tokens_.size(); }
    bool word(std::string_view w)
    {
        if (!done() && tokens_[i_].is_word(w)) {
            ++i_;
            return true;
        }
        return false;
    }
    [[nodiscard]] bool peek(std::string_view w, std::size_t ahead = 0) const
    {
        return i_ + ahead < tokens_.size() && tokens_[i_ + ahead].is_word(w);
    }
    bool punct(char c)
    {
        if (!done() && tokens_[i_].is_punct(c)) {
            ++i_;
            return true;
        }
        return false;
    }
    // A name, maybe qualified (schema.table): its last part, as the catalog spells it.
    std::string name()
    {
        std::string out;
        while (!done() && (tokens_[i_].is(detail::TokenKind::word) || tokens_[i_].is(detail::TokenKind::quoted_identifier))) {
            out = tokens_[i_].is(detail::TokenKind::word) ? detail::lower(tokens_[i_].text)
                                                          : detail::unquote_identifier(tokens_[i_].text);
            ++i_;
            if (!punct('.'))
                break;
        }
        return out;
    }
    // The rest, split at top-level commas (the actions of an ALTER TABLE).
    std::vector<Words> actions() const
    {
        std::vector<Words> out(1);
        int depth = 0;
        for (std::size_t k = i_; k < tokens_.size(); ++k) {
            const auto& t = tokens_[k];
            if (t.is_punct('('))
                ++depth;
            else if (t.is_punct(')'))
                --depth;
            if (depth == 0 && t.is_punct(',')) {
                out.emplace_back();
                continue;
            }
            if (!t.is_punct(';'))
                out.back().tokens_.push_back(t);
        }
        return out;
    }
    // Whether the rest holds these words in a row ("not", "valid").
    [[nodiscard]] bool holds(std::initializer_list<std::string_view> sequence) const
    {
        for (std::size_t k = i_; k + sequence.size() <= tokens_.size(); ++k) {
            std::size_t n = 0;
            for (auto w : sequence) {
                if (!tokens_[k + n].is_word(w))
                    break;
                ++n;
            }
            if (n == sequence.size())
                return true;
        }
        return false;
    }
    // The text of the rest after the word `w` (a DEFAULT's expression), to the next top-level keyword-free end.
    [[nodiscard]] std::string after(std::string_view w) const
    {
        std::string out;
        bool on = false;
        for (std::size_t k = i_; k < tokens_.size(); ++k) {
            if (on)
                out += std::string(tokens_[k].text) + " ";
            else if (tokens_[k].is_word(w))
                on = true;
        }
        return out;
    }

    // The next token as written ("0", "'1s'"), moving past it.
    std::string next()
    {
        return done() ? std::string() : std::string(tokens_[i_++].text);
    }

private:
    std::vector<detail::Token> tokens_;
    std::size_t i_ = 0;
};

class Linter {
public:
    Linter(const Dialect& dialect, std::string bind, const LintOptions& options)
        : bind_(std::move(bind)), options_(options),
          // An engine where writers do not queue behind locks has none of the lock rules' harm.
          lock_queue_(dialect.capabilities().lock_queue), dialect_(dialect)
    {
    }

    void step(const Step& step)
    {
        for (const auto& a : step.lint_allowed)
            if (!find_lint_rule(a.rule))
                throw ConfigError("bind '" + bind_ + "', step " + std::to_string(step.version) + " allows lint rule '" +
                                  a.rule + "', which does not exist (strata lint --help lists them)");
        step_ = &step;
        created_tables_.clear();
        created_indexes_.clear();
        not_valid_in_phase_.clear();
        bool ddl = false;
        const auto phases = detail::phases(step.ops);
        for (const auto& phase : phases) {
            // As the upgrader runs it: a phase of one CONCURRENTLY index runs outside a transaction.
            alone_ = step.no_transaction || (phases.size() > 1 && detail::phase_outside_transaction(phase, dialect_));
            not_valid_in_phase_.clear();
            for (const auto& op : phase) {
                std::visit([&](const auto& o) { on(o); }, op);
                ddl = ddl || !std::holds_alternative<DataCode>(op);
            }
        }
        const auto timeout = step.lock_timeout.value_or(options_.step_lock_timeout);
        if (ddl && timeout.count() == 0)
            add("no-lock-timeout", "lock timeout 0 (no bound)", 0, {}, {});
    }

    std::vector<LintFinding> findings() && { return std::move(out_); }

private:
    [[nodiscard]] bool existing(const std::string& table) const { return !created_tables_.count(table); }

    // A NOT VALID constraint validated in the transaction that added it keeps the add's lock through the scan.
    void validating(const std::string& name, std::string statement, std::size_t line, const std::string& table)
    {
        if (not_valid_in_phase_.count(name))
            add("constraint-not-valid", std::move(statement), line, table, "constraint " + name, "same transaction");
    }

    void add(std::string_view rule, std::string statement, std::size_t line, const std::string& table,
             const std::string& object, const std::string& detail = {})
    {
        const auto* r = find_lint_rule(rule);
        if (!r->on_sqlite && !lock_queue_)
            return;
        LintFinding f;
        f.rule = std::string(rule);
        f.bind = bind_;
        f.version = step_->version;
        f.step = step_->description;
        f.file = step_->source;
        f.line = line;
        f.statement = statement.size() > 240 ? statement.substr(0, 237) + "..." : std::move(statement);
        explain(f, table, object, detail);
        for (const auto& a : step_->lint_allowed)
            if (a.rule == rule)
                f.allowed = a.reason;
        out_.push_back(std::move(f));
    }

    static void explain(LintFinding& f, const std::string& t, const std::string& c, const std::string& detail)
    {
        const std::string later = " in a later step (a transaction of its own)";
        const std::string expand =
            "expand/contract: add the new one, have the application write both and read the new one, backfill, "
            "and drop the old one in a later release; allow the finding in the step with its reason when no "
            "running code uses the old name";
        if (f.rule == "index-not-concurrent") {
            f.why = "CREATE INDEX holds a SHARE lock on " + t + " for the whole build: every INSERT, UPDATE and "
                    "DELETE on it waits until the index is built";
            f.fix = "build it CONCURRENTLY outside a transaction: alone in a step marked no_transaction() or "
                    "alone in a phase of a step (C++: create_index(table, index, true); SQL file: "
                    "'-- strata: no-transaction', or '-- strata: phase' around it); an interrupted build is "
                    "dropped and built again on the next run";
        } else if (f.rule == "drop-index-not-concurrent") {
            f.why = "DROP INDEX takes ACCESS EXCLUSIVE on the index's table: its reads and writes wait, and queue "
                    "behind the DROP while it waits";
            f.fix = "DROP INDEX CONCURRENTLY alone in a step without a transaction or alone in a phase of a step";
        } else if (f.rule == "constraint-not-valid" && !detail.empty()) {
            f.why = c + " is validated in the transaction that added it NOT VALID: the lock the add took (ACCESS "
                    "EXCLUSIVE for a CHECK, SHARE ROW EXCLUSIVE on both tables for a foreign key) is held through "
                    "the whole scan";
            f.fix = "end the phase between them (C++: next_phase(); SQL file: a '-- strata: phase' line), or "
                    "validate in a later step";
        } else if (f.rule == "constraint-not-valid") {
            f.why = "adding " + c + " checks every row of " + t + " while writes to it wait (a foreign key also "
                    "locks the table it references)";
            f.fix = "add it NOT VALID (only new rows are checked; the lock is brief), then VALIDATE CONSTRAINT" + later +
                    ", which scans without blocking reads or writes";
        } else if (f.rule == "set-not-null") {
            f.why = "SET NOT NULL on " + t + "." + c + " scans the whole table under ACCESS EXCLUSIVE: its reads and "
                    "writes wait for the scan";
            f.fix = "add CHECK (" + c + " IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it" + later + " or phase, "
                    "then SET NOT NULL (PostgreSQL 12+ uses the validated check instead of scanning) and drop the "
                    "check: C++ set_not_null(table, column) does all of it in three phases";
        } else if (f.rule == "volatile-default") {
            f.why = "every existing row of " + t + " gets its own value of " + c + " (" + detail + "), so PostgreSQL "
                    "rewrites the table and its indexes under ACCESS EXCLUSIVE";
            f.fix = "add the column without that default (a constant default costs nothing since PostgreSQL 11), "
                    "set the default for new rows afterwards, and fill the existing rows in batches of short "
                    "transactions";
        } else if (f.rule == "type-change") {
            f.why = "changing the type of " + t + "." + c + " rewrites the table and rebuilds its indexes under "
                    "ACCESS EXCLUSIVE (only binary-coercible changes do not: varchar(n) to a longer varchar or text, "
                    "numeric to a larger precision)";
            f.fix = "expand/contract: add a column of the new type, write both from the application, backfill in "
                    "batches, switch reads, and drop the old column in a later release";
        } else if (f.rule == "unique-constraint") {
            f.why = "adding " + c + " to " + t + " builds its unique index under ACCESS EXCLUSIVE: reads and writes "
                    "wait for the whole build";
            f.fix = "CREATE UNIQUE INDEX CONCURRENTLY alone in a phase (or a step without a transaction), then "
                    "ALTER TABLE " + t + " ADD CONSTRAINT name UNIQUE USING INDEX index_name (or PRIMARY KEY USING "
                    "INDEX) in the next: a brief lock; C++ add_unique_concurrently(table, unique) does both";
        } else if (f.rule == "rename-column") {
            f.why = "the release still running reads and writes " + t + "." + c + " by its old name: its queries "
                    "fail from the moment the step commits until the new release runs everywhere";
            f.fix = expand;
        } else if (f.rule == "rename-table") {
            f.why = "the release still running uses " + t + " by its old name: its queries fail from the moment "
                    "the step commits until the new release runs everywhere";
            f.fix = expand + " (a view with the old name can bridge the two releases)";
        } else if (f.rule == "drop-column") {
            f.why = "the release still running may read or write " + t + "." + c + ": its queries fail once the "
                    "column is gone (a SELECT * mapped by an ORM fails on every read)";
            f.fix = "stop using the column in one release and drop it in the next; allow the finding in that step "
                    "with the reason";
        } else if (f.rule == "drop-table") {
            f.why = "the release still running may use " + t + ": its queries fail once the table is gone";
            f.fix = "stop using the table in one release and drop it in the next; allow the finding in that step "
                    "with the reason";
        } else if (f.rule == "concurrently-in-transaction") {
            f.why = c + " cannot run inside a transaction block: the step fails when it gets there";
            f.fix = "put the statement alone in a step without a transaction (SQL file: '-- strata: "
                    "no-transaction'; C++: no_transaction()) or alone in a phase of its step (SQL file: "
                    "'-- strata: phase' lines around it; C++: next_phase())";
        } else if (f.rule == "no-lock-timeout") {
            f.why = "a DDL statement that waits for a lock without a bound keeps every later query on the table "
                    "queued behind it for as long as the transaction before it runs";
            f.fix = "keep the step's lock wait bounded (strata's default: 1000 ms, rolled back and retried): remove "
                    "the lock timeout of 0 or the SET lock_timeout = 0";
        } else if (f.rule == "table-rewrite-command") {
            f.why = c + " rewrites " + (t.empty() ? std::string("the table") : t) + " under ACCESS EXCLUSIVE: "
                    "reads and writes wait for the whole rewrite";
            f.fix = "leave it out of migrations: pg_repack rebuilds a table online, or plan a maintenance window";
        }
    }

    // ---- ops ----
    void on(const CreateTable& o) { created_tables_.insert(o.table.name); }
    void on(const CreateIndex& o)
    {
        created_indexes_.insert(o.index.name);
        const auto what = "create_index " + o.table + "." + o.index.name;
        if (o.concurrently && !alone_)
            add("concurrently-in-transaction", what, 0, o.table, "CREATE INDEX CONCURRENTLY");
        else if (!o.concurrently && existing(o.table))
            add("index-not-concurrent", what, 0, o.table, o.index.name);
    }
    void on(const DropIndex& o)
    {
        if (!o.concurrently && !created_indexes_.count(o.name) && existing(o.table))
            add("drop-index-not-concurrent", "drop_index " + o.name, 0, o.table, o.name);
    }
    void on(const AddForeignKey& o)
    {
        if (o.not_valid)
            not_valid_in_phase_.insert(o.foreign_key.name);
        if (existing(o.table) && !o.not_valid)
            add("constraint-not-valid", "add_foreign_key " + o.table + "." + o.foreign_key.name, 0, o.table,
                "foreign key " + o.foreign_key.name);
    }
    void on(const AddCheck& o)
    {
        if (o.not_valid)
            not_valid_in_phase_.insert(o.check.name);
        if (existing(o.table) && !o.not_valid)
            add("constraint-not-valid", "add_check " + o.table + "." + o.check.name, 0, o.table, "check " + o.check.name);
    }
    void on(const AddUnique& o)
    {
        if (existing(o.table) && o.using_index.empty())
            add("unique-constraint", "add_unique " + o.table + "." + o.unique.name, 0, o.table, "unique " + o.unique.name);
    }
    void on(const AddColumn& o)
    {
        if (!existing(o.table))
            return;
        const auto& c = o.column;
        std::string why;
        if (c.autoincrement)
            why = "an identity or serial column numbers every row";
        else if (c.generated && c.generated->stored)
            why = "a stored generated column is computed for every row";
        else if (c.default_value && c.default_value->kind == Default::Kind::expression) {
            if (auto call = volatile_call(c.default_value->sql); !call.empty())
                why = "its default " + call + " is volatile";
        }
        if (!why.empty())
            add("volatile-default", "add_column " + o.table + "." + c.name, 0, o.table, c.name, why);
    }
    void on(const AlterColumn& o)
    {
        if (!existing(o.table))
            return;
        const auto what = "alter_column " + o.table + "." + o.to.name;
        if (o.from.nullable && !o.to.nullable && !validated_.count(o.table))
            add("set-not-null", what, 0, o.table, o.to.name);
        if (!(o.from.type == o.to.type) && !is_binary_coercible(o.from.type, o.to.type))
            add("type-change", what, 0, o.table, o.to.name);
    }
    void on(const ValidateConstraint& o)
    {
        validated_.insert(o.table);
        validating(o.name, "validate_constraint " + o.table + "." + o.name, 0, o.table);
    }
    void on(const RenameColumn& o)
    {
        if (existing(o.table))
            add("rename-column", "rename_column " + o.table + "." + o.from + " -> " + o.to, 0, o.table, o.from);
    }
    void on(const RenameTable& o)
    {
        if (existing(o.from))
            add("rename-table", "rename_table " + o.from + " -> " + o.to, 0, o.from, {});
    }
    void on(const DropColumn& o)
    {
        if (existing(o.table))
            add("drop-column", "drop_column " + o.table + "." + o.column, 0, o.table, o.column);
    }
    void on(const DropTable& o)
    {
        if (existing(o.table))
            add("drop-table", "drop_table " + o.table, 0, o.table, {});
    }
    void on(const ExecuteSql& o)
    {
        const auto* text = o.sql_for(dialect_.name());
        if (!text)
            return;
        for (const auto& st : detail::split_statements(*text).statements) {
            const std::size_t line = step_->source.empty() ? 0 : step_->source_line + detail::line_of(*text, st.offset) - 1;
            statement(st.sql, line);
        }
    }
    template <typename Other>
    void on(const Other&)
    {
    }

    // ---- SQL statements ----
    void statement(const std::string& sql, std::size_t line)
    {
        const std::string shown = detail::one_line(sql);
        Words w(sql);
        if (w.word("create")) {
            create(w, shown, line);
        } else if (w.word("drop")) {
            drop(w, shown, line);
        } else if (w.word("alter") && w.word("table")) {
            alter_table(w, shown, line);
        } else if (w.word("vacuum")) {
            if (w.holds({"full"}))
                add("table-rewrite-command", shown, line, {}, "VACUUM FULL");
        } else if (w.word("cluster")) {
            add("table-rewrite-command", shown, line, {}, "CLUSTER");
        } else if (w.word("reindex")) {
            if (w.holds({"concurrently"}) && !alone_)
                add("concurrently-in-transaction", shown, line, {}, "REINDEX CONCURRENTLY");
        } else if (w.word("set")) {
            (void)(w.word("local") || w.word("session"));
            if (w.word("lock_timeout")) {
                if (!w.word("to"))
                    (void)w.next();  // =
                std::string value = w.next();
                if (value.size() >= 2 && value.front() == '\'')
                    value = value.substr(1, value.size() - 2);
                if (value == "0" || value == "0ms" || value == "0s" || detail::iequals(value, "default"))
                    add("no-lock-timeout", shown, line, {}, {});
            }
        }
    }

    void create(Words& w, const std::string& shown, std::size_t line)
    {
        if (w.word("or"))
            (void)w.word("replace");
        (void)(w.word("temporary") || w.word("temp") || w.word("unlogged"));
        if (w.word("table")) {
            if (w.word("if")) {
                (void)w.word("not");
                (void)w.word("exists");
            }
            created_tables_.insert(w.name());
            return;
        }
        (void)w.word("unique");
        if (!w.word("index"))
            return;
        const bool concurrently = w.word("concurrently");
        if (w.word("if")) {
            (void)w.word("not");
            (void)w.word("exists");
        }
        std::string index;
        if (!w.peek("on"))
            index = w.name();
        if (!w.word("on"))
            return;
        (void)w.word("only");
        const auto table = w.name();
        created_indexes_.insert(index);
        if (concurrently && !alone_)
            add("concurrently-in-transaction", shown, line, table, "CREATE INDEX CONCURRENTLY");
        else if (!concurrently && existing(table))
            add("index-not-concurrent", shown, line, table, index);
    }

    void drop(Words& w, const std::string& shown, std::size_t line)
    {
        if (w.word("table")) {
            if (w.word("if"))
                (void)w.word("exists");
            do {
                const auto table = w.name();
                if (!table.empty() && existing(table))
                    add("drop-table", shown, line, table, {});
            } while (w.punct(','));
            return;
        }
        if (!w.word("index"))
            return;
        const bool concurrently = w.word("concurrently");
        if (w.word("if"))
            (void)w.word("exists");
        const auto index = w.name();
        if (concurrently && !alone_)
            add("concurrently-in-transaction", shown, line, {}, "DROP INDEX CONCURRENTLY");
        else if (!concurrently && !created_indexes_.count(index))
            add("drop-index-not-concurrent", shown, line, {}, index);
    }

    void alter_table(Words& w, const std::string& shown, std::size_t line)
    {
        if (w.word("if"))
            (void)w.word("exists");
        (void)w.word("only");
        const auto table = w.name();
        if (table.empty() || !existing(table))
            return;
        if (w.word("rename")) {
            if (w.peek("to"))
                add("rename-table", shown, line, table, {});
            if (w.peek("to") || w.peek("constraint"))
                return;
            (void)w.word("column");
            add("rename-column", shown, line, table, w.name());
            return;
        }
        for (auto& action : w.actions())
            alter_action(action, table, shown, line);
    }

    void alter_action(Words& a, const std::string& table, const std::string& shown, std::size_t line)
    {
        if (a.word("add")) {
            std::string name;
            if (a.word("constraint"))
                name = a.name();
            if (a.peek("foreign") || a.peek("check")) {
                if (a.holds({"not", "valid"}))
                    not_valid_in_phase_.insert(name);
                else
                    add("constraint-not-valid", shown, line, table, a.peek("check") ? "a CHECK" : "a FOREIGN KEY");
                return;
            }
            if (a.peek("unique") || a.peek("primary")) {
                if (!a.holds({"using", "index"}))
                    add("unique-constraint", shown, line, table, a.peek("unique") ? "UNIQUE" : "a PRIMARY KEY");
                return;
            }
            if (a.peek("exclude"))
                return;
            (void)a.word("column");
            if (a.word("if")) {
                (void)a.word("not");
                (void)a.word("exists");
            }
            add_column(a, table, shown, line);
        } else if (a.word("alter")) {
            (void)a.word("column");
            const auto column = a.name();
            if (a.word("set") && a.word("not") && a.word("null")) {
                if (!validated_.count(table))
                    add("set-not-null", shown, line, table, column);
            } else if (a.holds({"type"})) {
                add("type-change", shown, line, table, column);
            }
        } else if (a.word("drop")) {
            if (a.peek("constraint") || a.peek("default"))
                return;
            (void)a.word("column");
            if (a.word("if"))
                (void)a.word("exists");
            add("drop-column", shown, line, table, a.name());
        } else if (a.word("validate")) {
            validated_.insert(table);
            (void)a.word("constraint");
            validating(a.name(), shown, line, table);
        }
    }

    void add_column(Words& a, const std::string& table, const std::string& shown, std::size_t line)
    {
        const auto column = a.name();
        std::string why;
        if (a.peek("serial") || a.peek("bigserial") || a.peek("smallserial") || a.peek("serial4") || a.peek("serial8"))
            why = "a serial column numbers every row";
        else if (a.holds({"as", "identity"}))
            why = "an identity column numbers every row";
        else if (a.holds({"generated", "always", "as"}) && a.holds({"stored"}))
            why = "a stored generated column is computed for every row";
        else if (auto call = volatile_call(a.after("default")); !call.empty())
            why = "its default " + call + " is volatile";
        if (!why.empty())
            add("volatile-default", shown, line, table, column, why);
        if (a.holds({"references"}) || a.holds({"check"}))
            add("constraint-not-valid", shown, line, table, a.holds({"references"}) ? "a REFERENCES clause" : "a CHECK");
        if (a.holds({"unique"}) || a.holds({"primary", "key"}))
            add("unique-constraint", shown, line, table, a.holds({"unique"}) ? "UNIQUE" : "a PRIMARY KEY");
    }

    std::string bind_;
    LintOptions options_;
    bool lock_queue_;
    const Dialect& dialect_;
    const Step* step_ = nullptr;
    std::set<std::string> created_tables_;   // by the step being linted
    std::set<std::string> created_indexes_;
    std::set<std::string> validated_;        // tables with a constraint validated by an earlier statement or step
    std::set<std::string> not_valid_in_phase_;  // constraints added NOT VALID in the phase being linted
    bool alone_ = false;                        // the op runs outside a transaction
    std::vector<LintFinding> out_;
};

}  // namespace

std::span<const LintRule> lint_rules() noexcept
{
    return kRules;
}

const LintRule* find_lint_rule(std::string_view id) noexcept
{
    for (const auto& r : kRules)
        if (r.id == id)
            return &r;
    return nullptr;
}

std::vector<LintFinding> lint_steps(std::span<const Step> steps, const Dialect& dialect, const std::string& bind,
                                    const LintOptions& options)
{
    Linter linter(dialect, bind, options);
    for (const auto& step : steps)
        linter.step(step);
    return std::move(linter).findings();
}

std::string format_finding(const LintFinding& f)
{
    std::string out = f.bind + " step " + std::to_string(f.version) + " \"" + f.step + "\"";
    if (!f.file.empty())
        out += " (" + f.file + (f.line ? ":" + std::to_string(f.line) : std::string()) + ")";
    out += ": " + f.rule + (f.allowed.empty() ? "" : " (allowed: " + f.allowed + ")");
    out += "\n  " + f.statement + "\n  why: " + f.why + "\n  fix: " + f.fix;
    return out;
}

}  // namespace strata
