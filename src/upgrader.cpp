// The upgrader: its binds, their validation, and the commands on each (run by the runner).
#include "strata/upgrader.hpp"

#include "log.hpp"
#include "plan.hpp"
#include "sql_tokenizer.hpp"
#include "runner.hpp"
#include "strata/errors.hpp"
#include "strata/inspect.hpp"
#include "strata/validate.hpp"
#include "text.hpp"
#include "version_store.hpp"

#include <algorithm>
#include <deque>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

namespace strata {

namespace {

using detail::Bind;
using detail::context_of;
using detail::has_opaque_ops;
using detail::head_of;
using detail::Runner;

// ---- validation of steps ----

void validate_steps(const Bind& b, std::vector<std::string>& problems)
{
    // Without models every step runs on a fresh setup: nothing to declare.
    const bool needs_fresh_declaration = !b.without_models;
    const auto& dialect = b.database.dialect();
    long long expected = 1;
    for (const auto& step : b.steps) {
        const std::string where = "bind '" + b.name + "': step " + std::to_string(step.version);
        if (step.version != expected) {
            problems.push_back("bind '" + b.name + "': steps must be numbered 1, 2, 3, ... in order; expected " +
                               std::to_string(expected) + ", found " + std::to_string(step.version));
            expected = step.version;
        }
        ++expected;
        if (step.on_fresh && step.covered_by_model)
            problems.push_back(where + " is marked both on_fresh and covered_by_model: choose one");
        if (needs_fresh_declaration && has_opaque_ops(step) && !step.on_fresh && !step.covered_by_model)
            problems.push_back(where + " (\"" + step.description + "\") has data code or raw SQL, so strata cannot "
                               "tell whether a fresh setup needs it: mark it .on_fresh() (seed data the models do not "
                               "hold) or .covered_by_model() (the models already contain its result)");
        if (step.on_fresh)
            for (const auto& op : step.ops)
                if (is_model_expressible(op) && !std::holds_alternative<NextPhase>(op))
                    problems.push_back(where + " runs on fresh setups but also changes the schema (" + describe(op) +
                                       "), which the models already contain there: move the schema change to a step "
                                       "of its own");
        if (step.ops.empty())
            problems.push_back(where + " (\"" + step.description + "\") has no ops");
        const auto phases = detail::phases(step.ops);
        if (phases.size() > 1) {
            if (std::any_of(phases.begin(), phases.end(), [](const auto& p) { return p.empty(); }))
                problems.push_back(where + " has an empty phase: next_phase() (a '-- strata: phase' line) must stand "
                                   "between ops, once");
            if (step.no_transaction)
                problems.push_back(where + " runs without a transaction, so it cannot have phases: drop "
                                   "no_transaction (a phase of one CONCURRENTLY index runs outside a transaction)");
        }
        for (const auto& phase : phases) {
            // CONCURRENTLY alone in a phase of several runs outside a transaction.
            if (phases.size() > 1 && phase.size() == 1)
                continue;
            for (const auto& op : phase) {
                const bool concurrent = (std::holds_alternative<CreateIndex>(op) && std::get<CreateIndex>(op).concurrently) ||
                                        (std::holds_alternative<DropIndex>(op) && std::get<DropIndex>(op).concurrently);
                if (concurrent && !step.no_transaction)
                    problems.push_back(where + ": " + describe(op) + " CONCURRENTLY cannot run in a transaction: put it "
                                       "alone in a step marked .no_transaction(), or alone in a phase of its step "
                                       "(next_phase() before and after it)");
            }
        }
        for (const auto& op : step.ops) {
            if (const auto* sql = std::get_if<ExecuteSql>(&op); sql && !sql->sql_for(dialect.name()))
                problems.push_back(where + " has raw SQL without a text for " + std::string(dialect.name()) +
                                   ": give one text for every dialect or add one for " + std::string(dialect.name()));
        }
        const auto backfill = std::find_if(step.ops.begin(), step.ops.end(),
                                           [](const Op& op) { return std::holds_alternative<Backfill>(op); });
        if (backfill != step.ops.end()) {
            if (step.ops.size() != 1 || step.no_transaction)
                problems.push_back(where + " holds a backfill, which runs in batches of its own transactions: put it "
                                   "alone in a step (not marked no_transaction)");
            if (std::get<Backfill>(*backfill).batch_size < 1)
                problems.push_back(where + ": a backfill's batch size must be at least 1");
        }
        if (step.no_transaction) {
            bool one = step.ops.size() == 1;
            if (one) {
                if (const auto* sql = std::get_if<ExecuteSql>(&step.ops[0]))
                    if (const auto* text = sql->sql_for(dialect.name()))
                        one = detail::split_statements(*text).statements.size() == 1;
                if (std::holds_alternative<DataCode>(step.ops[0]) || std::holds_alternative<CreateTable>(step.ops[0]))
                    one = false;
            }
            if (!one)
                problems.push_back(where + " runs without a transaction, so it must hold exactly one statement (an "
                                   "interrupted run could not be undone otherwise): split it");
            if (step.on_fresh)
                problems.push_back(where + " cannot be both no_transaction and on_fresh (a fresh setup is one transaction)");
        }
    }
}

}  // namespace

struct detail::UpgraderImpl {
    // A deque: a bind stays where it is as others are added, so the session's
    // pointer to its models (typed access) stays good.
    std::deque<Bind> binds;

    Bind& find(const std::string& name)
    {
        for (auto& b : binds)
            if (b.name == name)
                return b;
        std::vector<std::string> names;
        for (const auto& b : binds)
            names.push_back(b.name);
        throw ConfigError("unknown bind '" + name + "' (binds: " + detail::join(names, ", ") + ")");
    }
};

Step& BindBuilder::last()
{
    auto& steps = impl_->binds.at(bind_).steps;
    if (steps.empty())
        throw Error(ErrorCode::usage, "declare a step before its modifiers (on_fresh, down, ...)");
    return steps.back();
}

BindBuilder& BindBuilder::step(long long version, std::string description, const std::function<void(Ops&)>& build)
{
    Ops ops;
    build(ops);
    Step s;
    s.version = version;
    s.description = std::move(description);
    s.ops = std::move(ops).ops();
    impl_->binds.at(bind_).steps.push_back(std::move(s));
    return *this;
}

BindBuilder& BindBuilder::add(Step step)
{
    impl_->binds.at(bind_).steps.push_back(std::move(step));
    return *this;
}

BindBuilder& BindBuilder::step(long long version, std::string description, DataCode code)
{
    return step(version, std::move(description), [&code](Ops& o) { o.run(code); });
}

BindBuilder& BindBuilder::down(const std::function<void(Ops&)>& build)
{
    Ops ops;
    build(ops);
    last().down = std::move(ops).ops();
    return *this;
}

BindBuilder& BindBuilder::on_fresh()
{
    last().on_fresh = true;
    return *this;
}

BindBuilder& BindBuilder::covered_by_model()
{
    last().covered_by_model = true;
    return *this;
}

BindBuilder& BindBuilder::no_transaction()
{
    last().no_transaction = true;
    return *this;
}

BindBuilder& BindBuilder::lock_timeout(std::chrono::milliseconds timeout)
{
    last().lock_timeout = timeout;
    return *this;
}

BindBuilder& BindBuilder::allow(std::string rule, std::string reason)
{
    last().lint_allowed.push_back({std::move(rule), std::move(reason)});
    return *this;
}

BindBuilder& BindBuilder::without_models()
{
    impl_->binds.at(bind_).without_models = true;
    return *this;
}

Upgrader::Upgrader() : impl_(std::make_unique<Impl>()) {}
Upgrader::~Upgrader() = default;
Upgrader::Upgrader(Upgrader&&) noexcept = default;
Upgrader& Upgrader::operator=(Upgrader&&) noexcept = default;

BindBuilder Upgrader::bind(std::string name, Database database, Schema models)
{
    for (const auto& b : impl_->binds)
        if (b.name == name)
            throw ConfigError("bind '" + name + "' is declared twice");
    models.set_bind(name);
    auto& b = impl_->binds.emplace_back(Bind{std::move(name), std::move(database), std::move(models), {}});
    b.database.attach_schema(&b.models);
    b.database.name_bind(b.name);
    return BindBuilder(*impl_, impl_->binds.size() - 1);
}

void Upgrader::validate() const
{
    std::vector<const Schema*> all;
    for (const auto& b : impl_->binds)
        all.push_back(&b.models);
    std::vector<std::string> problems;
    for (const auto& b : impl_->binds) {
        for (auto& p : model_problems(b.models, &b.database.dialect(), all))
            problems.push_back("bind '" + b.name + "': " + p);
        validate_steps(b, problems);
    }
    if (problems.empty())
        return;
    std::string message = "the models and steps are invalid (" + std::to_string(problems.size()) + " problem" +
                          (problems.size() == 1 ? "" : "s") + "):";
    for (const auto& p : problems)
        message += "\n  - " + p;
    throw ModelError(message);
}

namespace {

// Where a bind keeps its strata_version: the file, or server, database and
// schema. Empty for a database that is nobody else's (SQLite in memory).
std::string version_table_home(const Url& u)
{
    if (u.memory || (u.path.empty() && u.database.empty()))
        return {};
    if (!u.path.empty()) {
        std::error_code ec;
        auto file = std::filesystem::weakly_canonical(u.path, ec);
        return u.scheme + ":" + (ec ? u.path : file.string());
    }
    const std::string port = u.param("port", u.port ? std::to_string(u.port) : "");
    return u.scheme + "://" + u.param("host", u.host) + ":" + port + "/" + u.database + "?schema=" +
           u.param("schema", "public");
}

// Two binds in one database and schema would share one strata_version: each
// would read the other's version as its own.
void refuse_shared_version_tables(const std::deque<Bind>& binds)
{
    std::map<std::string, const Bind*> seen;
    for (const auto& b : binds) {
        const auto home = version_table_home(b.database.url());
        if (home.empty())
            continue;
        auto [it, first] = seen.emplace(home, &b);
        if (!first)
            throw ConfigError("binds '" + it->second->name + "' and '" + b.name + "' point at the same database (" +
                              b.database.url().masked() + "), where they would share one strata_version and read "
                              "each other's versions: give each bind a database of its own, or a ?schema= of its own");
    }
}

// Options a bind's engine cannot honour, and binds that share a database,
// refused before any database is touched.
void check_options(const std::deque<Bind>& binds, const RunOptions& options)
{
    refuse_shared_version_tables(binds);
    if (options.lock_mode != LockMode::lease)
        return;
    for (const auto& b : binds)
        if (!b.database.dialect().capabilities().concurrent_writers)
            throw ConfigError("bind '" + b.name + "': the lease lock cannot guard a " +
                              std::string(b.database.dialect().name()) +
                              " database: its heartbeat writes on a second connection, which waits while a step "
                              "holds the only write lock, so the lease would expire under any long step; this engine "
                              "serialises migrators itself: use the automatic lock mode");
}

}  // namespace

RunReport Upgrader::run(const RunOptions& options)
{
    check_options(impl_->binds, options);
    // Everything is validated before the first change to any database; binds at
    // their head cost one query each and nothing else.
    bool validated = false;
    auto validate_once = [&] {
        if (!validated)
            validate();
        validated = true;
    };
    RunReport report;
    for (auto& b : impl_->binds) {
        if (!options.only.empty() && std::find(options.only.begin(), options.only.end(), b.name) == options.only.end())
            continue;
        report.binds.push_back(Runner(b, options).run(validate_once));
    }
    return report;
}

BindReport Upgrader::run(const std::string& bind, const RunOptions& options)
{
    check_options(impl_->binds, options);
    return Runner(impl_->find(bind), options).run([this] { validate(); });
}

BindReport Upgrader::downgrade(const std::string& bind, long long to, const RunOptions& options)
{
    check_options(impl_->binds, options);
    validate();
    return Runner(impl_->find(bind), options).downgrade(to);
}

BindReport Upgrader::stamp(const std::string& bind, long long version, const RunOptions& options)
{
    check_options(impl_->binds, options);
    validate();
    return Runner(impl_->find(bind), options).stamp(version);
}

void Upgrader::clean(const std::string& bind)
{
    Runner(impl_->find(bind), RunOptions{}).clean();
}

std::vector<HistoryEntry> Upgrader::history(const std::string& bind)
{
    return detail::read_history(impl_->find(bind).database.session());
}

BindStatus Upgrader::status(const std::string& bind, bool with_drift)
{
    auto& b = impl_->find(bind);
    BindStatus st;
    st.bind = b.name;
    st.dialect = std::string(b.database.dialect().name());
    st.head = head_of(b);
    if (!b.without_models)
        for (const auto& step : b.steps)
            if (step.skipped_on_fresh())
                st.skipped_on_fresh.push_back(step.version);
    auto& s = b.database.session();
    try {
        auto current = detail::read_current_version(s);
        if (!current) {
            st.state = b.database.dialect().has_tables(s) ? BindState::unversioned : BindState::fresh;
            for (const auto& step : b.steps)
                st.pending.push_back(step.version);
            return st;
        }
        st.current = *current;
        st.state = *current == st.head ? BindState::ok : *current < st.head ? BindState::behind : BindState::ahead;
        for (const auto& step : b.steps)
            if (step.version > *current)
                st.pending.push_back(step.version);
        st.lint = detail::lint_pending(b, *current, st.head, RunOptions{});
        std::map<long long, std::string> recorded;
        for (const auto& e : detail::read_history(s))
            if ((e.kind == StepKind::applied || e.kind == StepKind::skipped) && !e.checksum.empty())
                recorded[e.version] = e.checksum;
        for (const auto& step : b.steps)
            if (auto it = recorded.find(step.version); it != recorded.end() && it->second != checksum(step))
                st.checksum_mismatches.push_back(step.version);
        if (with_drift && st.state == BindState::ok && !b.without_models) {
            const auto& d = b.database.dialect();
            st.drift = compare(d.inspect(s), d.read_back(s, d.canonical(b.models)));
        }
    } catch (const Error& e) {
        st.state = BindState::error;
        st.error = e.what();
    }
    return st;
}

std::vector<std::string> Upgrader::binds() const
{
    std::vector<std::string> out;
    for (const auto& b : impl_->binds)
        out.push_back(b.name);
    return out;
}

Database& Upgrader::database(const std::string& bind)
{
    return impl_->find(bind).database;
}

const Schema& Upgrader::models(const std::string& bind) const
{
    return const_cast<Impl&>(*impl_).find(bind).models;
}

const std::vector<Step>& Upgrader::steps(const std::string& bind) const
{
    return const_cast<Impl&>(*impl_).find(bind).steps;
}

long long Upgrader::head(const std::string& bind) const
{
    return head_of(const_cast<Impl&>(*impl_).find(bind));
}

bool Upgrader::has_models(const std::string& bind) const
{
    return !const_cast<Impl&>(*impl_).find(bind).without_models;
}

}  // namespace strata
