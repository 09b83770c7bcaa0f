// The Dialect contract: what a backend renders, reads back and can do.
#pragma once

#include "strata/ops.hpp"
#include "strata/schema.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

class Session;
struct Url;

// What the engine can do; the core branches on these, never on a dialect's name.
struct Capabilities {
    bool alter_constraints = true;   // ALTER TABLE ADD/DROP CONSTRAINT
    bool comments = true;
    bool native_enums = true;
    bool extensions = false;         // CREATE EXTENSION (an extension object is left out elsewhere)
    bool concurrent_indexes = false;
    bool not_valid_constraints = false;  // ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT
    bool index_methods = false;      // USING gin/gist/..., operator classes, INCLUDE, NULLS FIRST/LAST
    bool table_features = false;     // partitioning, exclusion constraints, row-level security
    bool preserves_object_sql = false;  // views/triggers read back as written
    bool rowid_tables = false;       // tables have a rowid (WITHOUT ROWID means something)
    bool embedded = false;           // the engine runs in this process (work is ours, not a server's)
    bool select_for_update = false;  // SELECT ... FOR UPDATE locks rows (else the transaction locks all)
    bool concurrent_writers = true;  // another connection can write while a transaction is open (a lease's heartbeat)
    // A statement waiting for a lock queues every later one on the table behind
    // it (PostgreSQL): lock waits are bounded, and work that needs several
    // transactions (phases, backfill batches) gets them. SQLite has one writer, no queue.
    bool lock_queue = false;
    std::size_t max_identifier_length = 0;  // 0: no limit
};

// One statement of a plan. Guards (expect_no_rows) fail the step when they return a row.
struct Statement {
    enum class Phase { before_transaction, transaction, after_transaction };
    std::string sql;
    Phase phase = Phase::transaction;
    bool expect_no_rows = false;
    std::string guard_message;       // the error when a guard returns rows
    std::string comment;             // printed above the statement in offline SQL
    // An INSERT ... SELECT ... FROM this table with no WHERE (a rebuild's copy)
    // and an integer key of it: the upgrader may run it in ranges of the key
    // ("WHERE key >= ? AND key <= ?" appended), one after another in the same
    // transaction, to show how many rows are copied.
    std::string copies_rows_of;
    std::string rows_key;

    static Statement plain(std::string sql) { return Statement{std::move(sql)}; }
};

enum class IndexState { absent, valid, invalid };

// What a transaction running some ops needs around it, decided from the ops alone
// (before the live schema is read): SQLite turns foreign keys off around a table
// rebuild, where the pragma only works outside a transaction, and checks every
// foreign key before COMMIT.
struct TransactionFrame {
    std::vector<Statement> before;  // before BEGIN
    std::vector<Statement> checks;  // guards just before COMMIT
    std::vector<Statement> after;   // after COMMIT or ROLLBACK, whatever happened
    [[nodiscard]] bool empty() const noexcept { return before.empty() && checks.empty() && after.empty(); }
    // Adds what `other` needs and this frame does not have yet (by SQL text).
    void merge(const TransactionFrame& other);
};

// Long work inside a step, as it goes: what, how much is done of how much.
struct WorkProgress {
    std::string bind;
    std::string what;       // "snapshot app.db.v3.bak"
    long long done = 0;
    long long total = 0;    // 0: not known
    std::string unit;       // "pages", "rows"
};
using WorkCallback = std::function<void(long long done, long long total)>;

// Held while strata migrates a bind; released when destroyed (never throws).
class MigrationLock {
public:
    virtual ~MigrationLock() = default;
    // Inside each step's transaction, just before COMMIT: throws when the lock
    // was lost (a lease that expired), so the step rolls back.
    virtual void check_held(Session&) {}
};

struct ConnectOptions {
    std::chrono::milliseconds busy_timeout{60'000};  // SQLite: wait for a locked file
    bool read_only = false;
    // SQLite: a file that does not exist reads as an empty database and is not
    // created (for commands that only look, such as status and history).
    bool missing_file_is_empty = false;
};

class Dialect {
public:
    virtual ~Dialect() = default;
    Dialect() = default;
    Dialect(const Dialect&) = delete;
    Dialect& operator=(const Dialect&) = delete;

    [[nodiscard]] virtual std::string_view name() const noexcept = 0;
    [[nodiscard]] virtual const Capabilities& capabilities() const noexcept = 0;

    // URLs: the schemes this backend serves (Url::parse stores its name() as the
    // scheme), its forms as shown in errors, and the part after "scheme:" and
    // before '?' parsed into `url` (whose params are already read); throws
    // ConfigError naming what is wrong and the expected forms.
    [[nodiscard]] virtual std::span<const std::string_view> url_schemes() const noexcept = 0;
    [[nodiscard]] virtual std::string_view url_forms() const noexcept = 0;
    virtual void complete_url(Url& url, std::string_view rest, const std::string& text) const = 0;
    // Connections.
    [[nodiscard]] virtual std::unique_ptr<Session> open(const Url& url, const ConnectOptions& options) const = 0;

    // Rendering. Every identifier goes through quote(), every literal through render_literal().
    [[nodiscard]] virtual std::string quote(std::string_view identifier) const = 0;
    [[nodiscard]] virtual std::string render_type(const Type& type) const = 0;
    [[nodiscard]] virtual std::string render_literal(const Value& value) const = 0;
    [[nodiscard]] virtual std::string render_default(const Column& column) const = 0;
    // The statements of one op, given the schema just before it (the SQLite rebuild
    // needs the whole table). Throws ModelError for an op this dialect cannot run.
    [[nodiscard]] virtual std::vector<Statement> render(const Op& op, const Schema& before) const = 0;
    // The statements of a step's ops in order; `state` is the schema before the
    // first op and is advanced past each (a backend may merge ops, e.g. one
    // SQLite rebuild for several changes to one table).
    [[nodiscard]] virtual std::vector<Statement> render_step(std::span<const Op> ops, Schema& state) const = 0;
    // Everything a fresh setup creates, in dependency order.
    [[nodiscard]] virtual std::vector<Statement> create_all(const Schema& schema) const = 0;
    // create_all() as a script for the engine's own client, outside strata's
    // transaction (inspect --format sql): session settings instead of LOCAL ones.
    [[nodiscard]] virtual std::vector<Statement> create_script(const Schema& schema) const;

    // The model as this dialect stores it, i.e. what inspect() returns after
    // creating it: dropped features it lacks, its own type spellings.
    [[nodiscard]] virtual Schema canonical(const Schema& model) const = 0;
    // Model problems specific to this dialect (type it cannot express, long names, ...).
    [[nodiscard]] virtual std::vector<std::string> check_model(const Schema& model) const = 0;

    // Reads the live schema of the session's database (strata's own tables excluded).
    [[nodiscard]] virtual Schema inspect(Session& session) const = 0;
    // What inspect() would return once create_all(canonical) had run: the
    // server's own rendering of view, function, trigger and policy bodies, so
    // that they compare exactly with a live schema's. The default (an engine
    // that keeps the SQL as written) returns `canonical`; PostgreSQL creates it
    // in a scratch schema on the session and rolls that back.
    [[nodiscard]] virtual Schema read_back(Session& session, const Schema& canonical) const;
    // Reads the named tables (with their indexes), the triggers on them and every
    // view: what a table rebuild needs and must keep. Tables that do not exist are
    // left out. The default reads everything and keeps those.
    [[nodiscard]] virtual Schema inspect_tables(Session& session, const std::vector<std::string>& tables) const;

    // ---- what the upgrader needs ----
    // Bounded waits for the session that migrates (SQLite busy timeout, PostgreSQL
    // lock_timeout and, on 14+, client_connection_check_interval).
    virtual void prepare_migration_session(Session& session, std::chrono::seconds lock_timeout) const = 0;
    // The engine's own lock for migrating this bind, taken on the session that does
    // the work; nullptr when the engine serialises writers per transaction instead
    // (SQLite: BEGIN IMMEDIATE). Throws DatabaseError(lock_timeout) after `timeout`.
    [[nodiscard]] virtual std::unique_ptr<MigrationLock> advisory_lock(Session& session,
                                                                       std::chrono::seconds timeout) const = 0;
    // Where advisory_lock() is nullptr: a lock that keeps other migrators of the
    // bind out while a step runs outside any transaction (a no-transaction step),
    // released when destroyed. Throws DatabaseError(lock_timeout) after `timeout`.
    [[nodiscard]] virtual std::unique_ptr<MigrationLock> outside_transaction_lock(Session& session,
                                                                                  std::chrono::seconds timeout) const;
    [[nodiscard]] virtual bool table_exists(Session& session, std::string_view table) const = 0;
    // Whether the bind holds any table of its own (strata's tables do not count).
    [[nodiscard]] virtual bool has_tables(Session& session) const = 0;
    [[nodiscard]] virtual IndexState index_state(Session& session, std::string_view index) const = 0;
    // Why the connected database takes no writes (a hot standby, a file opened
    // read-only), or nothing. An upgrade with work to do asks first, so it
    // attempts nothing there.
    [[nodiscard]] virtual std::optional<std::string> why_read_only(Session& session) const;
    // The statement that bounds how long each later statement waits for a lock
    // (`local`: until the transaction ends; 0: no bound), or "" where writers do
    // not queue behind one another's locks (SQLite). While a step's DDL waits,
    // every query of the application that needs the table waits behind it, so
    // the bound is short and the step is retried instead.
    [[nodiscard]] virtual std::string lock_wait_bound(std::chrono::milliseconds timeout, bool local) const;
    // Who holds locks on the bind's tables other than this session, longest
    // first, for an error that says what the step waited for ("pid 4242, idle in
    // transaction for 5.1 s, AccessShareLock on items: SELECT ..."); "" when none
    // or the engine cannot tell.
    [[nodiscard]] virtual std::string lock_holders(Session& session) const;
    // Statements that prepare an empty bind (PostgreSQL: the URL's schema).
    [[nodiscard]] virtual std::vector<Statement> prepare_fresh(const Url& url) const;
    // Before the first step of an upgrade changes anything (inside its transaction,
    // other writers kept out): a copy of the database as it is at `version`,
    // keeping the newest `keep` copies. Returns the copy's path, or "" where the
    // engine makes none (a server's data is protected by RunOptions::pre_upgrade_command).
    [[nodiscard]] virtual std::string keep_snapshot(Session& session, long long version, int keep,
                                                    const WorkCallback& progress) const;
    // Environment variables through which a shell command reaches this database
    // (a client library's own, such as a password), for RunOptions::pre_upgrade_command.
    [[nodiscard]] virtual std::vector<std::pair<std::string, std::string>> client_environment(const Url& url) const;

    // ---- scratch databases (ScratchDatabase) ----
    // Creates an empty database called `name` where `like` points and returns its
    // URL (like's parameters kept). Throws DatabaseError when it cannot.
    [[nodiscard]] virtual Url create_scratch(const Url& like, const std::string& name) const = 0;
    // Drops a database create_scratch() made, with everything in it, even while
    // other sessions use it; never throws (what it cannot drop goes to the log).
    virtual void drop_scratch(const Url& like, const Url& scratch) const noexcept = 0;
    // SQL for the database clock in seconds since the epoch (lease expiry).
    [[nodiscard]] virtual std::string epoch_seconds_sql() const = 0;
    // Statements that drop everything of `live` and strata's own tables (clean-db).
    [[nodiscard]] virtual std::vector<Statement> drop_all(const Schema& live) const = 0;
    // Whether rendering the op needs the live definition of its table (a SQLite
    // rebuild does): the upgrader then reads it inside the step's transaction and
    // checks afterwards that nothing of the table was lost.
    [[nodiscard]] virtual bool renders_from_state(const Op& op) const;
    // Statements around the transaction that runs these ops; none by default.
    [[nodiscard]] virtual TransactionFrame frame(std::span<const Op> ops) const;
};

}  // namespace strata
