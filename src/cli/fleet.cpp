// `strata fleet upgrade|status`: the targets from a file or a query, one bind's
// migrations (SQL files, or the application's upgrader) over all of them.
#include "cli_internal.hpp"

#include "strata/database.hpp"
#include "strata/errors.hpp"
#include "strata/fleet.hpp"
#include "strata/sql_files.hpp"
#include "text.hpp"

#include <atomic>
#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

namespace strata::cli::detail {

namespace {

std::atomic<bool> interrupted{false};

extern "C" void on_interrupt(int)
{
    interrupted.store(true);
}

// Ctrl-C while the fleet runs: the targets in progress finish, no new one starts.
class InterruptFinishesTheRunning {
public:
    InterruptFinishesTheRunning() : before_(std::signal(SIGINT, on_interrupt)) { interrupted.store(false); }
    ~InterruptFinishesTheRunning() { std::signal(SIGINT, before_); }
    InterruptFinishesTheRunning(const InterruptFinishesTheRunning&) = delete;
    InterruptFinishesTheRunning& operator=(const InterruptFinishesTheRunning&) = delete;

private:
    void (*before_)(int);
};

std::string read_targets_file(const std::string& path)
{
    if (path == "-") {
        std::ostringstream s;
        s << std::cin.rdbuf();
        return s.str();
    }
    std::ifstream in(path);
    if (!in)
        throw ConfigError("fleet targets file " + path + " cannot be read");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<FleetTarget> targets_of(const Args& a)
{
    const auto file = a.value("--targets");
    const auto query = a.value("--targets-query");
    if (file.has_value() == query.has_value())
        throw UsageError("fleet needs its targets: --targets FILE (JSON, or one 'URL [NAME]' per line), or "
                         "--targets-query SQL with --control URL");
    std::vector<FleetTarget> targets;
    if (file) {
        targets = parse_fleet_targets(read_targets_file(*file));
    } else {
        const auto control = a.value("--control");
        if (!control)
            throw UsageError("--targets-query needs --control URL (the database the query runs on; a schema name "
                             "it returns becomes that URL with ?schema=NAME)");
        auto db = connect(*control);
        targets = query_fleet_targets(db, *query, *control);
    }
    if (targets.empty())
        throw ConfigError("the fleet has no targets");
    return targets;
}

// The one bind the fleet moves: --only NAME, or the only one there is.
std::string fleet_bind(const Context& c, const std::vector<std::string>& binds)
{
    if (c.options.only.size() == 1) {
        if (std::find(binds.begin(), binds.end(), c.options.only.front()) == binds.end())
            throw UsageError("unknown bind '" + c.options.only.front() + "' in --only (binds: " +
                             strata::detail::join(binds, ", ") + ")");
        return c.options.only.front();
    }
    if (binds.size() == 1 && c.options.only.empty())
        return binds.front();
    throw UsageError("a fleet moves one bind of each target: name it with --only NAME (binds: " +
                     strata::detail::join(binds, ", ") + ")");
}

// Each target's upgrader: the SQL files of the bind, or the application's own
// built for an environment where the bind's URL is the target's.
FleetUpgraderFactory factory_of(const Context& c, std::string& bind)
{
    if (c.make) {
        const auto binds = (*c.make)(c.env).binds();
        bind = fleet_bind(c, binds);
        return [&c, bind](const FleetTarget& t) {
            Environment env = c.env;
            env.urls[bind] = t.url;
            return (*c.make)(env);
        };
    }
    if (c.options.dir.empty())
        throw UsageError("fleet needs migrations: give --dir DIR (migrations/<bind>/NNNN_name.sql)");
    auto migrations = std::make_shared<std::map<std::string, std::vector<Step>>>(load_sql_migrations(c.options.dir));
    std::vector<std::string> binds;
    for (const auto& [name, steps] : *migrations)
        binds.push_back(name);
    bind = fleet_bind(c, binds);
    return [migrations, bind](const FleetTarget& t) {
        Upgrader up;
        auto b = up.bind(bind, defer_connect(t.url), Schema{});
        b.without_models();
        for (const auto& s : migrations->at(bind))
            b.add(s);
        return up;
    };
}

nlohmann::json json_of(const FleetReport& report, const std::string& command)
{
    nlohmann::json targets = nlohmann::json::array();
    std::map<long long, long long> versions;
    for (const auto& r : report.targets) {
        nlohmann::json t{{"target", r.target}, {"url", r.url},         {"server", r.server},
                         {"status", to_string(r.outcome)},            {"from", r.from},
                         {"to", r.to},         {"duration_ms", r.duration_ms}};
        t["error"] = r.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.error);
        if (r.canary)
            t["canary"] = true;
        targets.push_back(std::move(t));
        if (r.outcome != FleetOutcome::failed && r.outcome != FleetOutcome::not_started)
            ++versions[r.to];
    }
    nlohmann::json histogram = nlohmann::json::object();
    for (const auto& [v, n] : versions)
        histogram[std::to_string(v)] = n;
    nlohmann::json counts = nlohmann::json::object();
    for (auto o : {FleetOutcome::upgraded, FleetOutcome::up_to_date, FleetOutcome::failed, FleetOutcome::not_started,
                   FleetOutcome::at_head, FleetOutcome::behind, FleetOutcome::drifted})
        if (auto n = report.count(o))
            counts[to_string(o)] = n;
    return {{"format", "strata.fleet/1"}, {"command", command}, {"head", report.head},
            {"versions", histogram},      {"counts", counts},   {"stopped", report.stopped},
            {"stop_reason", report.stopped ? nlohmann::json(report.stop_reason) : nlohmann::json(nullptr)},
            {"targets", targets}};
}

void print_text(Output& out, const FleetReport& report, const std::string& command)
{
    std::map<long long, long long> versions;
    for (const auto& r : report.targets)
        if (r.outcome != FleetOutcome::failed && r.outcome != FleetOutcome::not_started)
            ++versions[r.to];
    std::vector<std::string> counts;
    for (auto o : {FleetOutcome::upgraded, FleetOutcome::up_to_date, FleetOutcome::at_head, FleetOutcome::behind,
                   FleetOutcome::drifted, FleetOutcome::failed, FleetOutcome::not_started})
        if (auto n = report.count(o))
            counts.push_back(std::to_string(n) + " " + to_string(o));
    out.out() << "fleet " << command << ": " << report.targets.size() << " target(s), head " << report.head << ": "
              << strata::detail::join(counts, ", ") << "\n";
    for (auto it = versions.rbegin(); it != versions.rend(); ++it)
        out.out() << "  version " << it->first << ": " << it->second << " target(s)\n";
    for (const auto& r : report.targets)
        if (r.outcome == FleetOutcome::failed || r.outcome == FleetOutcome::drifted || r.outcome == FleetOutcome::behind)
            out.out() << "  " << to_string(r.outcome) << " " << r.target << " (" << r.url << ", at " << r.to << ")"
                      << (r.error.empty() ? "" : ": " + strata::detail::one_line(r.error)) << "\n";
    if (report.stopped)
        out.out() << "  stopped: " << report.stop_reason << "\n";
}

}  // namespace

int cmd_fleet(Context& c)
{
    Args a(c.options.args,
           {"--targets", "--targets-query", "--control", "--jobs", "--per-server", "--canary", "--max-failures"}, {},
           "fleet");
    if (a.positional().size() != 1 || (a.positional()[0] != "upgrade" && a.positional()[0] != "status"))
        throw UsageError("fleet takes one word: upgrade or status");
    const auto& command = a.positional()[0];
    FleetOptions options;
    if (a.value("--jobs"))
        options.jobs = static_cast<int>(a.number("--jobs"));
    if (a.value("--per-server"))
        options.per_server = static_cast<int>(a.number("--per-server"));
    if (a.value("--canary"))
        options.canary = static_cast<int>(a.number("--canary"));
    if (a.value("--max-failures"))
        options.max_failures = static_cast<int>(a.number("--max-failures"));
    if (options.jobs < 1)
        throw UsageError("--jobs needs at least 1");
    const auto targets = targets_of(a);
    const auto make = factory_of(c, options.bind);
    options.run = c.run_options;
    // One progress line for the fleet; the targets' own would interleave.
    options.run.on_step = {};
    options.run.on_work = {};
    options.on_target = [&](const FleetResult& r, long long done, long long total) {
        if (r.outcome == FleetOutcome::failed)
            c.output.warn(r.target + " (" + r.url + "): " + strata::detail::one_line(r.error));
        c.output.work(WorkProgress{"fleet", command, done, total, "targets"});
    };
    InterruptFinishesTheRunning interrupt;
    options.stop = &interrupted;
    const auto report = command == "upgrade" ? upgrade_fleet(targets, make, options) : fleet_status(targets, make, options);
    if (c.output.json())
        c.output.print_json(json_of(report, command));
    else
        print_text(c.output, report, command);
    if (command == "upgrade")
        return report.count(FleetOutcome::failed) > 0 || report.stopped ? failure : ok;
    if (report.count(FleetOutcome::failed) > 0)
        return failure;
    return report.count(FleetOutcome::behind) + report.count(FleetOutcome::drifted) > 0 ? differences : ok;
}

}  // namespace strata::cli::detail
