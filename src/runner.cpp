// The runner: fresh setup, upgrade, atomic upgrade, downgrade and stamp of one bind.
#include "runner.hpp"

#include "bind_error.hpp"
#include "lease_lock.hpp"
#include "log.hpp"
#include "sql_tokenizer.hpp"
#include "strata/errors.hpp"
#include "strata/inspect.hpp"
#include "text.hpp"
#include "version_store.hpp"
#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <thread>
#include <sys/wait.h>

namespace strata::detail {

ErrorContext context_of(const Bind& b, const Step* step)
{
    ErrorContext c;
    c.bind = b.name;
    if (step) {
        c.version = step->version;
        c.description = step->description;
    }
    return c;
}

long long head_of(const Bind& b)
{
    return b.steps.empty() ? 0 : b.steps.back().version;
}

std::vector<LintFinding> lint_pending(const Bind& b, long long current, long long target, const RunOptions& options)
{
    if (current <= 0 || target <= current || target > head_of(b))
        return {};
    const std::span<const Step> pending(b.steps.data() + current, static_cast<std::size_t>(target - current));
    return lint_steps(pending, b.database.dialect(), b.name, LintOptions{options.step_lock_timeout});
}

// Raw SQL or data code: strata cannot see what the step changes.
bool has_opaque_ops(const Step& step)
{
    return std::any_of(step.ops.begin(), step.ops.end(), [](const Op& op) { return !is_model_expressible(op); });
}

namespace {

double since_ms(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Runs the statements after a step's transaction whatever happens (foreign keys
// back on after a rebuild, also when the step failed).
class AfterPhase {
public:
    AfterPhase(Session& session, std::vector<Statement> statements) : session_(session), statements_(std::move(statements)) {}
    ~AfterPhase()
    {
        for (const auto& st : statements_) {
            try {
                session_.execute(st.sql);
            } catch (const std::exception& e) {
                detail::logger().error("restoring the connection after a step ('{}'): {}", st.sql, e.what());
            }
        }
    }
    AfterPhase(const AfterPhase&) = delete;
    AfterPhase& operator=(const AfterPhase&) = delete;

private:
    Session& session_;
    std::vector<Statement> statements_;
};
}  // namespace

bool Runner::commit(const Unit& unit, BindReport& report)
{
    if (unit.step && unit.announces && o_.on_step)
        o_.on_step(StepEvent{b_.name, unit.step->version, unit.step->description, false, unit.down, 0, steps_done_ + 1,
                             steps_to_do_});
    AfterPhase after(s_, unit.frame.after);
    for (const auto& st : unit.frame.before) {
        if (unit.step)
            executor_.execute(*unit.step, st, unit.down);
        else
            s_.execute(st.sql);
    }
    std::vector<detail::VersionRow> rows;
    try {
        Transaction tx(s_, TransactionMode::immediate);
        if (unit.still_needed && !unit.still_needed())
            return false;
        rows = unit.work();
        for (const auto& row : rows)
            detail::write_version_row(s_, row);
        if (lock_)
            lock_->check_held(s_);
        tx.commit();
    } catch (const DatabaseError& e) {
        // What the step's own statements did not already put in context: the
        // transaction's BEGIN and COMMIT, the snapshot, the version row.
        if (!e.context().bind.empty())
            throw;
        if (unit.step)
            executor_.fail(*unit.step, e, "", unit.down);
        throw detail::naming_bind(e, b_.name, std::string(unit.logged_as));
    }
    for (const auto& row : rows) {
        if (row.kind == StepKind::fresh || row.kind == StepKind::stamped)
            continue;
        const double ms = row.duration_ms.value_or(0);
        report.steps.push_back({row.version, row.description, row.kind, ms});
        if (row.kind == StepKind::skipped)
            continue;
        ++steps_done_;
        if (o_.on_step)
            o_.on_step(StepEvent{b_.name, row.version, row.description, true, unit.down, ms, steps_done_, steps_to_do_});
        detail::logger().info("{}: version {} \"{}\" {} in {:.1f} ms", b_.name, row.version, row.description,
                              unit.logged_as, ms);
    }
    return true;
}

// The guard of work that takes the bind from `from` to `to`: the work is not
// needed once the bind is there (another process did it), and the bind must
// still be at `from`.
std::function<bool()> Runner::moves(long long from, long long to, const Step* step)
{
    return [this, from, to, step] {
        const auto recorded = detail::read_recorded_version(s_);
        if (to > from && recorded >= to)
            return false;
        if (recorded != from)
            throw Error(ErrorCode::database_error,
                        "bind '" + b_.name + "' moved to version " + std::to_string(recorded) +
                            " while strata was taking it from version " + std::to_string(from) + " to " +
                            std::to_string(to) + "; run again",
                        context_of(b_, step));
        return true;
    };
}

detail::VersionRow Runner::row_of(const Step& step, StepKind kind, Clock::time_point start) const
{
    return {step.version, step.description, kind, checksum(step), since_ms(start)};
}

void Runner::database_newer(long long current)
{
    throw Error(ErrorCode::database_newer,
                "bind '" + b_.name + "' is at version " + std::to_string(current) + " but this program knows steps up to " +
                    std::to_string(head_of(b_)) + ": the database was upgraded by a newer release; run that release "
                    "(or downgrade the database with it)",
                context_of(b_));
}

void Runner::refuse_unversioned_tables()
{
    if (d_.has_tables(s_))
        throw Error(ErrorCode::unversioned,
                    "bind '" + b_.name + "' has tables but no strata_version, so strata will not guess its version: "
                    "adopt it with `stamp <version>` once its schema matches that version",
                    context_of(b_));
}

void Runner::create_version_table()
{
    for (const auto& st : d_.prepare_fresh(s_.url()))
        s_.execute(st.sql);
    for (const auto& st : detail::create_version_table(d_))
        s_.execute(st.sql);
}

std::unique_ptr<MigrationLock> Runner::acquire_lock()
{
    try {
        d_.prepare_migration_session(s_, o_.lock_timeout);
        if (o_.lock_mode == LockMode::lease)
            return std::make_unique<detail::LeaseLock>(s_, "bind:" + b_.name, o_.lease_ttl, o_.lock_timeout);
        return d_.advisory_lock(s_, o_.lock_timeout);
    } catch (const ConfigError& e) {
        throw ConfigError("bind '" + b_.name + "': " + e.message(), context_of(b_));
    } catch (const DatabaseError& e) {
        throw detail::naming_bind(e, b_.name);
    }
}

void Runner::check_checksums()
{
    std::map<long long, std::string> recorded;
    for (const auto& e : detail::read_history(s_))
        if ((e.kind == StepKind::applied || e.kind == StepKind::skipped) && !e.checksum.empty())
            recorded[e.version] = e.checksum;
    std::vector<std::string> changed;
    for (const auto& step : b_.steps)
        if (auto it = recorded.find(step.version); it != recorded.end() && it->second != checksum(step))
            changed.push_back(std::to_string(step.version));
    if (changed.empty())
        return;
    std::string message = "bind '" + b_.name + "': the program's step(s) " + detail::join(changed, ", ") +
                          " differ from what was recorded when they were applied";
    if (o_.strict_checksums)
        throw Error(ErrorCode::checksum_mismatch, message + " (strict mode): restore the steps as they were", context_of(b_));
    detail::logger().warn("{}", message);
}

BindReport Runner::run(const std::function<void()>& before_work)
{
    const long long head = head_of(b_);
    const long long target = o_.target.value_or(head);
    if (target < 0 || target > head)
        throw ConfigError("bind '" + b_.name + "': target version " + std::to_string(target) + " is outside 0.." +
                          std::to_string(head));
    // The start of an up-to-date application: one query, no lock, no DDL.
    auto current = detail::read_current_version(s_);
    if (current && *current > head)
        database_newer(*current);
    if (current && *current == target) {
        if (o_.strict_checksums)
            check_checksums();
        return BindReport{b_.name, BindAction::up_to_date, *current, *current, {}, {}};
    }
    if (auto why = d_.why_read_only(s_))
        throw Error(ErrorCode::database_error,
                    "bind '" + b_.name + "' cannot be upgraded: " + *why + "; nothing was attempted",
                    context_of(b_));
    if (before_work)
        before_work();
    lock_ = acquire_lock();
    // Another process may have done it meanwhile. (Without a lock held across
    // steps, each transaction below checks again anyway.)
    if (lock_)
        current = detail::read_current_version(s_);
    if (!current) {
        if (!o_.replay && !b_.without_models && target == head)
            return fresh_setup();
        // Chain from empty: strata_version first, then every step as an upgrade.
        bool created = false;
        {
            Transaction tx(s_, TransactionMode::immediate);
            if (!detail::read_current_version_checked(s_)) {
                created = true;
                refuse_unversioned_tables();
                create_version_table();
            }
            tx.commit();
        }
        current = detail::read_current_version(s_);
        // The bind had no tables: nothing to read back.
        state_.exact = created && current == 0;
        return upgrade(current.value_or(0), target, BindAction::replayed);
    }
    if (*current > head)
        database_newer(*current);
    if (*current > target)
        throw ConfigError("bind '" + b_.name + "' is at version " + std::to_string(*current) + ", above the target " +
                          std::to_string(target) + ": use downgrade to go back");
    check_checksums();
    return upgrade(*current, target, BindAction::upgraded);
}

BindReport Runner::fresh_setup()
{
    BindReport report{b_.name, BindAction::fresh, 0, head_of(b_), {}, {}};
    const auto start = Clock::now();
    // The skipped steps' checksums (a hash of every table they create) are
    // computed on another core while the database creates the schema.
    auto skipped_checksums = std::async(std::launch::async, [this] {
        std::vector<std::string> out;
        out.reserve(b_.steps.size());
        for (const auto& step : b_.steps)
            out.push_back(step.skipped_on_fresh() ? checksum(step) : std::string());
        return out;
    });
    std::optional<long long> found;
    Unit unit;
    unit.logged_as = "applied on fresh setup";
    unit.still_needed = [&] {
        // Another process may have set the bind up while this one waited for the write lock.
        found = detail::read_current_version_checked(s_);
        return !found;
    };
    unit.work = [&] {
        refuse_unversioned_tables();
        try {
            create_version_table();
            for (const auto& st : d_.create_all(b_.models))
                s_.execute(st.sql);
        } catch (const DatabaseError& e) {
            auto c = e.context();
            c.bind = b_.name;
            throw DatabaseError(e.kind(), "the fresh setup of bind '" + b_.name + "' failed and was rolled back: " + e.message(), c);
        }
        // The steps the models cover are recorded as skipped; seed-data steps run,
        // against the models' schema (copied only for them).
        if (std::any_of(b_.steps.begin(), b_.steps.end(), [](const Step& s) { return !s.skipped_on_fresh(); })) {
            state_.schema = b_.models;
            state_.exact = true;
        }
        const auto checksums = skipped_checksums.get();
        std::vector<detail::VersionRow> rows;
        for (std::size_t i = 0; i < b_.steps.size(); ++i) {
            const auto& step = b_.steps[i];
            if (step.skipped_on_fresh()) {
                rows.push_back({step.version, step.description, StepKind::skipped, checksums[i], std::nullopt});
                continue;
            }
            const auto step_start = Clock::now();
            executor_.run(step, false);
            rows.push_back(row_of(step, StepKind::applied, step_start));
        }
        rows.push_back({head_of(b_), "fresh setup from the models", StepKind::fresh, {}, since_ms(start)});
        return rows;
    };
    if (!commit(unit, report))
        return upgrade(*found, head_of(b_), BindAction::upgraded);
    detail::logger().info("{}: fresh setup at version {} in {:.1f} ms", b_.name, head_of(b_), since_ms(start));
    return report;
}

void Runner::take_backup(long long version, BindReport& report)
{
    if (version == 0)  // an empty bind: nothing to keep
        return;
    WorkCallback pages;
    if (o_.on_work)
        pages = [this, version](long long done, long long total) {
            o_.on_work(WorkProgress{b_.name, "snapshot of version " + std::to_string(version), done, total, "pages"});
        };
    report.backup = d_.keep_snapshot(s_, version, o_.snapshots, pages);
    if (!report.backup.empty())
        detail::logger().info("{}: snapshot of version {} in {}", b_.name, version, report.backup);
}

namespace {

// Sets variables for one command and puts back what was there before.
class ScopedEnvironment {
public:
    explicit ScopedEnvironment(const std::vector<std::pair<std::string, std::string>>& vars)
    {
        for (const auto& [name, value] : vars) {
            const char* old = std::getenv(name.c_str());
            saved_.push_back({name, old ? std::optional<std::string>(old) : std::nullopt});
            setenv(name.c_str(), value.c_str(), 1);
        }
    }
    ~ScopedEnvironment()
    {
        for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
            if (it->second)
                setenv(it->first.c_str(), it->second->c_str(), 1);
            else
                unsetenv(it->first.c_str());
        }
    }
    ScopedEnvironment(const ScopedEnvironment&) = delete;
    ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

private:
    std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

}  // namespace

void Runner::lint_before_upgrade(long long current, long long target)
{
    std::string refused;
    for (const auto& f : lint_pending(b_, current, target, o_)) {
        if (!f.allowed.empty())
            detail::logger().debug("{}: step {}: lint {} allowed: {}", b_.name, f.version, f.rule, f.allowed);
        else if (o_.strict_lint)
            refused += "\n" + format_finding(f);
        else
            detail::logger().warn("lint: {}", format_finding(f));
    }
    if (!refused.empty())
        throw Error(ErrorCode::unsafe_change,
                    "bind '" + b_.name + "': the pending steps hold changes that are unsafe on a live database "
                    "(strict mode), so nothing was upgraded:" + refused +
                        "\nrewrite them as the fixes say, or allow a finding in its step with the reason it is safe "
                        "(C++: .allow(rule, reason); SQL file: '-- strata: allow RULE reason')",
                    context_of(b_));
}

void Runner::run_pre_upgrade_command(long long from, long long to)
{
    if (o_.pre_upgrade_command.empty() || d_.capabilities().embedded)
        return;
    // The command reads where and what from its environment (no password on a command line).
    const auto& url = s_.url();
    auto vars = d_.client_environment(url);
    vars.insert(vars.end(), {{"STRATA_BIND", b_.name},
                             {"STRATA_DATABASE_URL", url.unmasked()},
                             {"STRATA_FROM_VERSION", std::to_string(from)},
                             {"STRATA_TO_VERSION", std::to_string(to)}});
    int status = 0;
    {
        ScopedEnvironment env(vars);
        status = std::system(o_.pre_upgrade_command.c_str());
    }
    if (status != 0)
        throw Error(ErrorCode::database_error,
                    "the pre-upgrade command of bind '" + b_.name + "' failed (status " + std::to_string(status) +
                        "); nothing was upgraded",
                    context_of(b_));
}

void Runner::apply_step(const Step& step, BindReport& report, bool& backed_up)
{
    Unit unit;
    unit.step = &step;
    unit.frame = d_.frame(step.ops);
    // Without a lock held across steps (SQLite), writers wait for one another
    // in the transaction, and whoever comes second finds the bind moved on.
    if (!lock_)
        unit.still_needed = moves(step.version - 1, step.version, &step);
    auto start = Clock::now();
    unit.work = [&] {
        bound_lock_waits(step, true);
        if (!backed_up) {
            take_backup(step.version - 1, report);
            backed_up = true;
        }
        executor_.run(step, false);
        executor_.check(step, unit.frame, false);
        return std::vector{row_of(step, StepKind::applied, start)};
    };
    retrying_lock_waits(step, [&] { commit(unit, report); });
}

namespace {

std::chrono::milliseconds lock_timeout_of(const Step& step, const RunOptions& options)
{
    return step.lock_timeout.value_or(options.step_lock_timeout);
}

// The pause before the next try: growing, with a random part so that two
// waiting migrators do not come back in step.
std::chrono::milliseconds pause_before_try(int tried)
{
    static thread_local std::minstd_rand random(std::random_device{}());
    const long long base = std::min(100LL << std::min(tried, 5), 3000LL);
    return std::chrono::milliseconds(base + static_cast<long long>(random() % static_cast<unsigned>(base / 2 + 1)));
}

}  // namespace

std::vector<Statement> Runner::session_lock_bound() const
{
    auto sql = d_.lock_wait_bound(std::chrono::duration_cast<std::chrono::milliseconds>(o_.lock_timeout), false);
    if (sql.empty())
        return {};
    return {Statement::plain(std::move(sql))};
}

void Runner::bound_lock_waits(const Step& step, bool local)
{
    if (auto sql = d_.lock_wait_bound(lock_timeout_of(step, o_), local); !sql.empty())
        s_.execute(sql);
}

void Runner::retrying_lock_waits(const Step& step, const std::function<void()>& attempt)
{
    const auto timeout = lock_timeout_of(step, o_);
    const bool bounded = timeout.count() > 0 && d_.capabilities().lock_queue;
    for (int tried = 0;; ++tried) {
        try {
            attempt();
            return;
        } catch (const DatabaseError& e) {
            // The server's own lock errors; a lost lease (strata's) is not tried again.
            const bool waited = (e.kind() == DatabaseErrorKind::lock_timeout ||
                                 e.kind() == DatabaseErrorKind::retryable) && !e.context().sqlstate.empty();
            if (!bounded || !waited)
                throw;
            std::string holders;
            try {
                holders = d_.lock_holders(s_);
            } catch (const DatabaseError& read) {
                holders = "(could not be read: " + read.message() + ")";
            }
            if (holders.empty())
                holders = "no session holds a lock on the bind's tables now";
            if (tried >= o_.lock_retries)
                throw DatabaseError(DatabaseErrorKind::lock_timeout,
                                    e.message() + "\n(tried " + std::to_string(tried + 1) + " times, each statement "
                                    "waiting at most " + std::to_string(timeout.count()) + " ms for its locks so that "
                                    "the application's queries never queue behind it for longer; the locks were held "
                                    "by: " + holders + ". End or wait out that transaction and run again, or give the "
                                    "step a longer lock timeout)",
                                    e.context());
            const auto pause = pause_before_try(tried);
            detail::logger().warn("{}: step {} could not get its locks within {} ms ({}); rolled back, trying again in "
                                  "{} ms (retry {} of {}); held by: {}",
                                  b_.name, step.version, timeout.count(), e.context().sqlstate, pause.count(),
                                  tried + 1, o_.lock_retries, holders);
            // The attempt advanced the tracked schema past what the rollback left: read it again (rare).
            state_.schema = d_.inspect(s_);
            state_.exact = true;
            std::this_thread::sleep_for(pause);
        }
    }
}

bool Runner::outside_transaction(const Step& step) const
{
    if (!step.no_transaction)
        return false;
    if (d_.capabilities().concurrent_indexes || step.ops.size() != 1)
        return true;
    const Op& op = step.ops.front();
    return !std::holds_alternative<CreateIndex>(op) && !std::holds_alternative<DropIndex>(op);
}


void Runner::apply_no_transaction_step(const Step& step, BindReport& report)
{
    retrying_lock_waits(step, [&] { try_no_transaction_step(step, report); });
}

void Runner::try_no_transaction_step(const Step& step, BindReport& report)
{
    // The step cannot hide in a transaction, so other migrators are kept out by a
    // lock instead, and the version is read again under it: it runs exactly once.
    auto outside = lock_ ? nullptr : d_.outside_transaction_lock(s_, o_.lock_timeout);
    if (!moves(step.version - 1, step.version, &step)())
        return;
    const auto start = Clock::now();
    bool ran = false;
    {
        // The statement's lock waits are bounded like a step's; the session's own bound comes back after.
        AfterPhase restore(s_, session_lock_bound());
        ran = run_outside_transaction(step, step.ops.front(), false);
    }
    // The statement is done; its record is a transaction of its own.
    Unit unit;
    unit.logged_as = ran ? "applied (no transaction)" : "recorded (already built)";
    unit.work = [&] { return std::vector{row_of(step, StepKind::applied, start)}; };
    commit(unit, report);
}

bool Runner::run_outside_transaction(const Step& step, const Op& op, bool down)
{
    // A run interrupted after the statement (or in the middle of CREATE INDEX
    // CONCURRENTLY, which leaves an INVALID index) is resumed, not failed.
    bool run_statement = true;
    std::vector<Statement> cleanup;
    if (const auto* create = std::get_if<CreateIndex>(&op)) {
        const auto existing = d_.index_state(s_, create->index.name);
        if (existing != IndexState::absent)
            for (auto& t : state_.schema.tables)
                std::erase_if(t.indexes, [&](const Index& ix) { return ix.name == create->index.name; });
        if (existing == IndexState::valid) {
            run_statement = false;  // built before the interruption; only the record is missing
        } else if (existing == IndexState::invalid) {
            detail::logger().warn("{}: index {} was left INVALID by an interrupted run; dropping and rebuilding it",
                                  b_.name, create->index.name);
            cleanup = d_.render(DropIndex{create->table, create->index.name, std::nullopt, create->concurrently},
                                state_.schema);
        }
    } else if (const auto* drop = std::get_if<DropIndex>(&op)) {
        run_statement = d_.index_state(s_, drop->name) != IndexState::absent;
    } else if (auto raw = detail::raw_concurrent_index(op, d_)) {
        const auto existing = d_.index_state(s_, raw->name);
        if (!raw->create) {
            run_statement = existing != IndexState::absent;
        } else if (existing == IndexState::valid) {
            run_statement = false;
        } else if (existing == IndexState::invalid) {
            detail::logger().warn("{}: index {} was left INVALID by an interrupted run; dropping and rebuilding it",
                                  b_.name, raw->name);
            cleanup = d_.render(DropIndex{"", raw->name, std::nullopt, true}, state_.schema);
        }
    }
    bound_lock_waits(step, false);
    for (const auto& st : cleanup)
        executor_.execute(step, st, down);
    if (run_statement)
        executor_.run_ops(step, std::span<const Op>(&op, 1), down);
    if (!run_statement) {
        try {
            apply(state_.schema, op);
        } catch (const ModelError&) {
            state_.exact = false;  // the tracked schema lagged
        }
        if (std::holds_alternative<ExecuteSql>(op))
            state_.exact = false;  // raw SQL: strata cannot see into it
    }
    return run_statement;
}

bool Runner::in_batches(const Step& step) const
{
    return step.ops.size() == 1 && std::holds_alternative<Backfill>(step.ops.front()) && lock_ &&
           d_.capabilities().lock_queue;
}

void Runner::create_progress_table()
{
    if (!d_.table_exists(s_, "strata_progress"))
        s_.execute("CREATE TABLE " + d_.quote("strata_progress") + " (" + d_.quote("version") + " " +
                   d_.render_type(Type::bigint()) + " PRIMARY KEY, " + d_.quote("position") + " " +
                   d_.render_type(Type::bigint()) + " NOT NULL)");
}

std::optional<long long> Runner::recorded_progress(long long version)
{
    create_progress_table();
    auto rows = s_.query("SELECT " + d_.quote("position") + " FROM " + d_.quote("strata_progress") + " WHERE " +
                         d_.quote("version") + " = ?", {version});
    if (rows.empty())
        return std::nullopt;
    return std::get<std::int64_t>(rows.rows[0][0]);
}

void Runner::apply_backfill_in_batches(const Step& step, BindReport& report)
{
    const auto& fill = std::get<Backfill>(step.ops.front());
    // The migration lock is held across transactions: nobody else moves the bind meanwhile.
    if (!moves(step.version - 1, step.version, &step)())
        return;
    const auto start = Clock::now();
    const auto table = d_.quote(fill.table);
    const auto key = d_.quote(fill.key);
    const auto resumed = recorded_progress(step.version);
    const auto bounds = s_.query("SELECT min(" + key + "), max(" + key + ") FROM " + table).rows.at(0);
    if (!std::holds_alternative<std::monostate>(bounds.at(0))) {
        const long long first = std::max<long long>(std::get<std::int64_t>(bounds.at(0)), resumed.value_or(LLONG_MIN));
        const long long last = std::get<std::int64_t>(bounds.at(1));
        if (resumed)
            detail::logger().info("{}: step {} resumes its backfill at {} {} (batches up to it are done)", b_.name,
                                  step.version, fill.key, *resumed);
        const long long batch = std::max(1LL, fill.batch_size);
        for (long long from = first; from <= last; from += batch) {
            const long long to = from + batch;  // rows up to `last` only exist; the arithmetic stays in range below
            const std::string update = "UPDATE " + table + " SET " + fill.set + " WHERE " + key +
                                       " >= " + std::to_string(from) + " AND " + key + " < " + std::to_string(to) +
                                       (fill.where.empty() ? "" : " AND (" + fill.where + ")");
            retrying_lock_waits(step, [&] {
                Transaction tx(s_, TransactionMode::immediate);
                bound_lock_waits(step, true);
                executor_.execute(step, Statement::plain(update), false);
                record_progress(step, step.version, to);
                if (lock_)
                    lock_->check_held(s_);
                tx.commit();
            });
            if (o_.on_work)
                o_.on_work(WorkProgress{b_.name, "backfill of " + fill.table, std::min(to, last + 1) - first,
                                        last - first + 1, "keys"});
            if (fill.pause.count() > 0 && to <= last)
                std::this_thread::sleep_for(fill.pause);
        }
    }
    Unit unit;
    unit.step = &step;
    unit.logged_as = "applied (in batches)";
    unit.work = [&] {
        record_progress(step, step.version, std::nullopt);
        return std::vector{row_of(step, StepKind::applied, start)};
    };
    commit(unit, report);
}

void Runner::record_progress(const Step& step, long long key, std::optional<long long> position)
{
    const auto progress = d_.quote("strata_progress");
    executor_.execute(step,
                      Statement::plain("DELETE FROM " + progress + " WHERE " + d_.quote("version") + " = " +
                                       std::to_string(key)),
                      false);
    if (position)
        executor_.execute(step,
                          Statement::plain("INSERT INTO " + progress + " VALUES (" + std::to_string(key) + ", " +
                                           std::to_string(*position) + ")"),
                          false);
}

bool Runner::in_phases(const Step& step, bool down) const
{
    if (!lock_ || !d_.capabilities().lock_queue || o_.atomic)
        return false;
    return detail::phases(detail::step_ops(step, down, b_.name)).size() > 1;
}

void Runner::apply_in_phases(const Step& step, bool down, BindReport& report)
{
    const auto ops = detail::step_ops(step, down, b_.name);
    const auto parts = detail::phases(ops);
    // The migration lock is held across the phases' transactions: nobody else moves the bind meanwhile.
    if (!(down ? moves(step.version, step.version - 1, &step) : moves(step.version - 1, step.version, &step))())
        return;
    // Progress of a step's way down is kept apart from its way up.
    const long long key = down ? -step.version : step.version;
    const auto start = Clock::now();
    const auto done = static_cast<std::size_t>(std::clamp<long long>(recorded_progress(key).value_or(0), 0,
                                                                     static_cast<long long>(parts.size())));
    if (done > 0)
        detail::logger().info("{}: step {} resumes at phase {} of {} (the phases before it were committed)", b_.name,
                              step.version, done + 1, parts.size());
    for (std::size_t k = done; k < parts.size(); ++k) {
        const auto phase = parts[k];
        const bool last = k + 1 == parts.size();
        const bool outside = detail::phase_outside_transaction(phase, d_);
        if (outside) {
            AfterPhase restore(s_, session_lock_bound());
            retrying_lock_waits(step, [&] { (void)run_outside_transaction(step, phase.front(), down); });
        }
        Unit unit;
        unit.step = &step;
        unit.down = down;
        unit.announces = k == done;
        unit.frame = d_.frame(phase);
        unit.logged_as = down ? "reverted (in phases)" : "applied (in phases)";
        unit.work = [&] {
            if (!outside) {
                bound_lock_waits(step, true);
                executor_.run_ops(step, phase, down);
                executor_.check(step, unit.frame, down);
            }
            record_progress(step, key, last ? std::nullopt : std::optional<long long>(static_cast<long long>(k + 1)));
            if (!last)
                return std::vector<detail::VersionRow>{};
            return std::vector{row_of(step, down ? StepKind::reverted : StepKind::applied, start)};
        };
        retrying_lock_waits(step, [&] { commit(unit, report); });
        if (!last)
            detail::logger().info("{}: step {} phase {} of {} committed", b_.name, step.version, k + 1, parts.size());
    }
}

void Runner::apply_atomically(const std::vector<const Step*>& pending, BindReport& report)
{
    Unit unit;
    for (const auto* step : pending) {
        if (outside_transaction(*step))
            throw ConfigError("bind '" + b_.name + "': step " + std::to_string(step->version) +
                              " runs without a transaction, so the pending steps cannot run as one: upgrade without "
                              "--atomic");
        if (d_.capabilities().lock_queue && detail::phases(step->ops).size() > 1)
            throw ConfigError("bind '" + b_.name + "': step " + std::to_string(step->version) +
                              " runs in phases, each a transaction of its own, so the pending steps cannot run as "
                              "one: upgrade without --atomic");
        unit.frame.merge(d_.frame(step->ops));
    }
    const long long from = pending.front()->version - 1;
    unit.step = pending.front();
    unit.logged_as = "applied (atomic)";
    unit.still_needed = moves(from, pending.back()->version, pending.front());
    unit.work = [&] {
        take_backup(from, report);
        executor_.stays_at(from);  // a failing step rolls back the whole batch
        std::vector<detail::VersionRow> rows;
        for (const auto* step : pending) {
            const auto start = Clock::now();
            bound_lock_waits(*step, true);
            executor_.run(*step, false);
            // The frame's checks after data code and raw SQL too, which ran with
            // foreign keys off if any step of the batch needed them off.
            if (!unit.frame.checks.empty() && has_opaque_ops(*step))
                executor_.check(*step, unit.frame, false);
            rows.push_back(row_of(*step, StepKind::applied, start));
        }
        executor_.check(*pending.back(), unit.frame, false);
        return rows;
    };
    retrying_lock_waits(*pending.front(), [&] { commit(unit, report); });
}

BindReport Runner::upgrade(long long current, long long target, BindAction action)
{
    BindReport report{b_.name, action, current, current, {}, {}};
    std::vector<const Step*> pending;
    for (const auto& step : b_.steps)
        if (step.version > current && step.version <= target)
            pending.push_back(&step);
    if (pending.empty()) {
        report.action = BindAction::up_to_date;
        return report;
    }
    lint_before_upgrade(current, target);
    run_pre_upgrade_command(current, target);
    steps_to_do_ = static_cast<long long>(pending.size());
    if (o_.atomic) {
        apply_atomically(pending, report);
    } else {
        bool backed_up = false;
        for (const auto* step : pending) {
            if (in_batches(*step))
                apply_backfill_in_batches(*step, report);
            else if (in_phases(*step, false))
                apply_in_phases(*step, false, report);
            else if (outside_transaction(*step))
                apply_no_transaction_step(*step, report);
            else
                apply_step(*step, report, backed_up);
        }
    }
    report.to = detail::read_current_version(s_).value_or(target);
    return report;
}

void Runner::revert_step(const Step& step, BindReport& report)
{
    if (in_phases(step, true)) {
        apply_in_phases(step, true, report);
        return;
    }
    const auto start = Clock::now();
    Unit unit;
    unit.step = &step;
    unit.down = true;
    unit.frame = d_.frame(detail::step_ops(step, true, b_.name));
    unit.logged_as = "reverted";
    unit.still_needed = moves(step.version, step.version - 1, &step);
    const bool outside = outside_transaction(step);
    auto outside_lock = outside && !lock_ ? d_.outside_transaction_lock(s_, o_.lock_timeout) : nullptr;
    if (outside) {
        // Its one statement runs on its own (DROP INDEX CONCURRENTLY cannot run in a transaction).
        unit.still_needed();
        AfterPhase restore(s_, session_lock_bound());
        retrying_lock_waits(step, [&] {
            bound_lock_waits(step, false);
            executor_.run(step, true);
        });
    }
    unit.work = [&] {
        if (!outside) {
            bound_lock_waits(step, true);
            executor_.run(step, true);
            executor_.check(step, unit.frame, true);
        }
        return std::vector{row_of(step, StepKind::reverted, start)};
    };
    retrying_lock_waits(step, [&] { commit(unit, report); });
}

BindReport Runner::downgrade(long long to)
{
    auto current = detail::read_current_version(s_);
    if (!current)
        throw ConfigError("bind '" + b_.name + "' has no version history: nothing to downgrade");
    if (*current > head_of(b_))
        database_newer(*current);
    if (to < 0 || to > *current)
        throw ConfigError("bind '" + b_.name + "' is at version " + std::to_string(*current) +
                          ": downgrade --to needs a version from 0 to " + std::to_string(*current));
    BindReport report{b_.name, BindAction::downgraded, *current, *current, {}, {}};
    std::vector<const Step*> path;
    for (auto it = b_.steps.rbegin(); it != b_.steps.rend(); ++it)
        if (it->version <= *current && it->version > to)
            path.push_back(&*it);
    // Refuse before anything runs when a step on the way has no way back.
    for (const auto* step : path)
        (void)detail::step_ops(*step, true, b_.name);
    lock_ = acquire_lock();
    steps_to_do_ = static_cast<long long>(path.size());
    for (const auto* step : path)
        revert_step(*step, report);
    report.to = to;
    return report;
}

BindReport Runner::stamp(long long version)
{
    if (version < 0 || version > head_of(b_))
        throw ConfigError("bind '" + b_.name + "': stamp needs a version from 0 to " + std::to_string(head_of(b_)));
    lock_ = acquire_lock();
    std::optional<long long> current;
    Unit unit;
    unit.work = [&] {
        current = detail::read_current_version_checked(s_);
        if (current)
            detail::logger().warn("{}: stamping version {} over a history that is at {}", b_.name, version, *current);
        else
            create_version_table();
        std::string description = version == 0 ? "stamped"
                                                : "stamped at \"" + b_.steps[static_cast<std::size_t>(version - 1)].description + "\"";
        return std::vector<detail::VersionRow>{{version, description, StepKind::stamped, {}, std::nullopt}};
    };
    BindReport report{b_.name, BindAction::stamped, 0, version, {}, {}};
    commit(unit, report);
    report.from = current.value_or(0);
    return report;
}

void Runner::clean()
{
    Unit unit;
    std::vector<Statement> drops;
    for (auto& st : d_.drop_all(d_.inspect(s_))) {
        switch (st.phase) {
        case Statement::Phase::before_transaction: unit.frame.before.push_back(std::move(st)); break;
        case Statement::Phase::after_transaction: unit.frame.after.push_back(std::move(st)); break;
        case Statement::Phase::transaction: drops.push_back(std::move(st)); break;
        }
    }
    unit.work = [&] {
        for (const auto& st : drops)
            s_.execute(st.sql);
        return std::vector<VersionRow>{};
    };
    BindReport report;
    commit(unit, report);
    logger().info("{}: every table, view, trigger, function and type dropped", b_.name);
}

}  // namespace strata::detail
