// Fleets: a pool of workers takes the targets in order, at most `per_server`
// of one server at a time; each target is a whole upgrade of its own.
#include "strata/fleet.hpp"

#include "strata/database.hpp"
#include "strata/errors.hpp"
#include "strata/url.hpp"
#include "text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

namespace strata {

namespace {

using Clock = std::chrono::steady_clock;

// What a worker keeps between its targets: the last one's connection, which
// the next target of the same server database takes over (a tenant schema).
struct Worker {
    std::unique_ptr<Session> spare;
};

// Builds the target's upgrader on the worker's connection when it can serve
// the target (another schema of the same database), runs `use` on it, and keeps
// the connection for the next target only after a clean run.
template <class Use>
void on_target(const FleetUpgraderFactory& make, const FleetTarget& target, const std::string& bind, Worker& w,
               const Use& use)
{
    auto up = make(target);
    auto& db = up.database(bind);
    (void)db.reuse(w.spare);
    w.spare.reset();  // another server or database: closed
    use(up);
    w.spare = db.release_session();
}

// Runs `work(i)` for each index, `jobs` at once, never more than `per_server`
// on one server (the targets' in `report`), in order as far as the servers
// allow; starts none once `stop()`. `work` reports the target as it ends.
void in_pool(const std::vector<std::size_t>& indices, const FleetReport& report, int jobs, int per_server,
             const std::function<bool()>& stop, const std::function<void(std::size_t, Worker&)>& work)
{
    std::mutex m;
    std::condition_variable changed;
    std::map<std::string, int> busy;
    std::vector<bool> taken(indices.size(), false);
    auto worker = [&] {
        Worker own;
        std::unique_lock lock(m);
        for (;;) {
            if (stop())
                return;
            std::optional<std::size_t> next;
            bool left = false;
            for (std::size_t k = 0; k < indices.size() && !next; ++k) {
                if (taken[k])
                    continue;
                left = true;
                if (per_server <= 0 || busy[report.targets[indices[k]].server] < per_server)
                    next = k;
            }
            if (!left)
                return;
            if (!next) {
                changed.wait(lock);  // every free target's server is full: wait for one to finish
                continue;
            }
            taken[*next] = true;
            const auto& server = report.targets[indices[*next]].server;
            ++busy[server];
            lock.unlock();
            work(indices[*next], own);
            lock.lock();
            --busy[server];
            changed.notify_all();
        }
    };
    std::vector<std::thread> threads;
    const auto count = std::min<std::size_t>(static_cast<std::size_t>(std::max(1, jobs)), indices.size());
    for (std::size_t t = 0; t < count; ++t)
        threads.emplace_back(worker);
    for (auto& t : threads)
        t.join();
}

std::string masked(const std::string& url)
{
    try {
        return Url::parse(url).masked();
    } catch (const Error&) {
        return "(an unreadable URL)";
    }
}

FleetReport prepared(const std::vector<FleetTarget>& targets, const FleetUpgraderFactory& make,
                     const FleetOptions& options)
{
    FleetReport report;
    std::set<std::string> names;
    for (const auto& t : targets) {
        FleetResult r;
        r.url = masked(t.url);
        r.target = t.name.empty() ? r.url : t.name;
        if (!names.insert(r.target).second)
            throw ConfigError("the fleet names target '" + r.target + "' twice: give each target its own name");
        r.server = fleet_server_of(t.url);
        report.targets.push_back(std::move(r));
    }
    if (!targets.empty())
        report.head = make(targets.front()).head(options.bind);  // connects to nothing
    return report;
}

// One after the other, so the caller's output is never interleaved.
struct Reporter {
    const FleetOptions& options;
    long long total;
    std::mutex m;
    long long done = 0;
    void operator()(const FleetResult& r)
    {
        std::lock_guard lock(m);
        ++done;
        if (options.on_target)
            options.on_target(r, done, total);
    }
};

}  // namespace

const char* to_string(FleetOutcome outcome) noexcept
{
    switch (outcome) {
    case FleetOutcome::upgraded: return "upgraded";
    case FleetOutcome::up_to_date: return "up_to_date";
    case FleetOutcome::failed: return "failed";
    case FleetOutcome::not_started: return "not_started";
    case FleetOutcome::at_head: return "at_head";
    case FleetOutcome::behind: return "behind";
    case FleetOutcome::drifted: return "drifted";
    }
    return "failed";
}

long long FleetReport::count(FleetOutcome outcome) const
{
    return std::count_if(targets.begin(), targets.end(), [&](const FleetResult& r) { return r.outcome == outcome; });
}

std::string fleet_server_of(const std::string& url)
{
    try {
        const auto u = Url::parse(url);
        if (!u.path.empty())
            return "local";  // a file: its disk is the only thing shared
        const std::string host = !u.host.empty() ? u.host : u.param("host", "localhost");
        return host + ":" + (u.port ? std::to_string(u.port) : std::string("default"));
    } catch (const Error&) {
        return "unknown";
    }
}

FleetReport upgrade_fleet(const std::vector<FleetTarget>& targets, const FleetUpgraderFactory& make,
                          const FleetOptions& options)
{
    auto report = prepared(targets, make, options);
    Reporter reporter{options, static_cast<long long>(targets.size())};
    std::atomic<long long> failures = 0;
    auto upgrade_one = [&](std::size_t i, Worker& w) {
        auto& r = report.targets[i];
        const auto start = Clock::now();
        try {
            on_target(make, targets[i], options.bind, w, [&](Upgrader& up) {
                const auto b = up.run(options.bind, options.run);
                r.from = b.from;
                r.to = b.to;
                r.outcome = b.action == BindAction::up_to_date ? FleetOutcome::up_to_date : FleetOutcome::upgraded;
            });
        } catch (const std::exception& e) {
            r.outcome = FleetOutcome::failed;
            r.error = e.what();
            ++failures;
        }
        r.duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        reporter(r);
    };
    auto interrupted = [&] { return options.stop && options.stop->load(); };
    auto too_many = [&] { return options.max_failures >= 0 && failures.load() >= options.max_failures; };

    std::vector<std::size_t> canaries, rest;
    for (std::size_t i = 0; i < targets.size(); ++i)
        (static_cast<int>(i) < options.canary ? canaries : rest).push_back(i);
    for (auto i : canaries)
        report.targets[i].canary = true;
    in_pool(canaries, report, options.jobs, options.per_server, [&] { return interrupted() || too_many(); }, upgrade_one);
    if (failures.load() > 0 && !canaries.empty()) {
        report.stopped = true;
        report.stop_reason = std::to_string(failures.load()) + " of the " + std::to_string(canaries.size()) +
                             " canary target(s) failed: the other targets were not started";
        return report;
    }
    in_pool(rest, report, options.jobs, options.per_server, [&] { return interrupted() || too_many(); }, upgrade_one);
    if (interrupted()) {
        report.stopped = true;
        report.stop_reason = "interrupted: the targets in progress finished, no new one started";
    } else if (too_many() && report.count(FleetOutcome::not_started) > 0) {
        report.stopped = true;
        report.stop_reason = std::to_string(failures.load()) + " target(s) failed (the limit is " +
                             std::to_string(options.max_failures) + "): no new target started";
    }
    return report;
}

FleetReport fleet_status(const std::vector<FleetTarget>& targets, const FleetUpgraderFactory& make,
                         const FleetOptions& options)
{
    auto report = prepared(targets, make, options);
    std::vector<std::size_t> all(report.targets.size());
    std::iota(all.begin(), all.end(), std::size_t{0});
    Reporter reporter{options, static_cast<long long>(targets.size())};
    in_pool(all, report, options.jobs, options.per_server, [&] { return options.stop && options.stop->load(); },
            [&](std::size_t i, Worker& w) {
                auto& r = report.targets[i];
                const auto start = Clock::now();
                try {
                    BindStatus st;
                    on_target(make, targets[i], options.bind, w, [&](Upgrader& up) { st = up.status(options.bind, false); });
                    r.from = r.to = st.current;
                    if (!st.error.empty()) {
                        r.outcome = FleetOutcome::failed;
                        r.error = st.error;
                    } else if (st.state == BindState::unversioned) {
                        r.outcome = FleetOutcome::failed;
                        r.error = "has tables but no strata_version: adopt it with `stamp <version>`";
                    } else if (st.state == BindState::ahead) {
                        r.outcome = FleetOutcome::failed;
                        r.error = "at version " + std::to_string(st.current) + ", above the migrations' head " +
                                  std::to_string(st.head);
                    } else if (!st.checksum_mismatches.empty()) {
                        r.outcome = FleetOutcome::drifted;
                        std::vector<std::string> versions;
                        for (auto v : st.checksum_mismatches)
                            versions.push_back(std::to_string(v));
                        r.error = "recorded step(s) " + detail::join(versions, ", ") + " differ from the migrations "
                                  "(checksum)";
                    } else {
                        r.outcome = st.current < st.head ? FleetOutcome::behind : FleetOutcome::at_head;
                    }
                } catch (const std::exception& e) {
                    r.outcome = FleetOutcome::failed;
                    r.error = e.what();
                }
                r.duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
                reporter(r);
            });
    return report;
}

std::vector<FleetTarget> parse_fleet_targets(const std::string& text)
{
    std::vector<FleetTarget> out;
    const auto body = detail::trim(text);
    auto checked = [](FleetTarget t, const std::string& where) {
        try {
            (void)Url::parse(t.url);
        } catch (const Error& e) {
            throw ConfigError("fleet targets, " + where + ": " + e.what());
        }
        return t;
    };
    if (body.starts_with("[")) {
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(body);
        } catch (const nlohmann::json::exception& e) {
            throw ConfigError(std::string("fleet targets: not valid JSON: ") + e.what());
        }
        for (std::size_t i = 0; i < j.size(); ++i) {
            const auto& item = j[i];
            const std::string where = "item " + std::to_string(i + 1);
            if (item.is_string())
                out.push_back(checked({"", item.get<std::string>()}, where));
            else if (item.is_object() && item.contains("url") && item["url"].is_string())
                out.push_back(checked({item.value("name", std::string()), item["url"].get<std::string>()}, where));
            else
                throw ConfigError("fleet targets, " + where + ": expected a URL or {\"name\": ..., \"url\": ...}");
        }
        return out;
    }
    std::istringstream lines{std::string(body)};
    std::string line;
    for (std::size_t number = 1; std::getline(lines, line); ++number) {
        const auto t = detail::trim(line);
        if (t.empty() || t.starts_with("#"))
            continue;
        std::istringstream words{std::string(t)};
        std::string url, name, extra;
        words >> url >> name >> extra;
        if (!extra.empty())
            throw ConfigError("fleet targets, line " + std::to_string(number) + ": expected 'URL [NAME]', found more");
        out.push_back(checked({name, url}, "line " + std::to_string(number)));
    }
    return out;
}

std::vector<FleetTarget> query_fleet_targets(Database& control, const std::string& query, const std::string& base_url)
{
    std::vector<FleetTarget> out;
    const auto rows = control.session().query(query);
    for (const auto& row : rows.rows) {
        if (row.empty() || !std::holds_alternative<std::string>(row[0]))
            throw ConfigError("fleet targets query: each row's first column must be a URL or a schema name (text)");
        const auto& first = std::get<std::string>(row[0]);
        FleetTarget t;
        if (first.find(':') != std::string::npos) {
            t.url = first;
        } else {
            t.url = base_url + (base_url.find('?') == std::string::npos ? "?" : "&") + "schema=" + first;
            t.name = first;
        }
        if (row.size() > 1 && std::holds_alternative<std::string>(row[1]))
            t.name = std::get<std::string>(row[1]);
        (void)Url::parse(t.url);
        out.push_back(std::move(t));
    }
    return out;
}

}  // namespace strata
