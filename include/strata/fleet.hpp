// Fleets: the same migrations over many targets (a database per tenant across
// servers, a schema per tenant through ?schema=, SQLite files), upgraded in
// parallel with a bound per server, a canary phase and isolated failures. Each
// target runs under its own migration lock exactly as a single upgrade does.
#pragma once

#include "strata/upgrader.hpp"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace strata {

// One database (or schema) of the fleet.
struct FleetTarget {
    std::string name;  // the tenant; the URL without its password when none is given
    std::string url;
};

// Where a target stands after a fleet command.
enum class FleetOutcome { upgraded, up_to_date, failed, not_started, at_head, behind, drifted };
[[nodiscard]] const char* to_string(FleetOutcome outcome) noexcept;  // "upgraded", "not_started", ...

struct FleetResult {
    std::string target;
    std::string url;     // without password
    std::string server;  // host:port, or "local" for a file
    FleetOutcome outcome = FleetOutcome::not_started;
    long long from = 0;
    long long to = 0;
    double duration_ms = 0;
    std::string error;
    bool canary = false;
};

struct FleetReport {
    long long head = 0;
    std::vector<FleetResult> targets;  // in the order given
    bool stopped = false;              // new targets stopped: a failed canary, too many failures, an interrupt
    std::string stop_reason;
    [[nodiscard]] long long count(FleetOutcome outcome) const;
};

// Builds the upgrader of one target: its bind named `bind`, connected to the
// target's URL (deferred: nothing connects before the target's turn).
using FleetUpgraderFactory = std::function<Upgrader(const FleetTarget& target)>;

struct FleetOptions {
    std::string bind = "app";  // the bind of each target's upgrader that the fleet moves
    int jobs = 4;              // targets upgraded at once
    int per_server = 2;        // of them on one server at most (0: no bound)
    int canary = 0;            // the first K targets alone first; any failure stops the run
    int max_failures = -1;     // after this many failures no new target starts (-1: never)
    RunOptions run;            // each target's upgrade
    // Set (by a signal handler) to start no new target; the ones running finish.
    const std::atomic<bool>* stop = nullptr;
    // Called as each target ends (from the worker thread, one call at a time).
    std::function<void(const FleetResult&, long long done, long long total)> on_target;
};

// Upgrades every target to the head of its bind.
[[nodiscard]] FleetReport upgrade_fleet(const std::vector<FleetTarget>& targets, const FleetUpgraderFactory& make,
                                        const FleetOptions& options);
// Reads where every target stands (at_head, behind, drifted: a recorded step's
// checksum differs; failed: could not be read), `jobs` at a time, changing nothing.
[[nodiscard]] FleetReport fleet_status(const std::vector<FleetTarget>& targets, const FleetUpgraderFactory& make,
                                       const FleetOptions& options);

// The targets of a file: a JSON array of {"name": ..., "url": ...} (or of URL
// strings), or one target per line, "URL [NAME]", with blank lines and # comments.
[[nodiscard]] std::vector<FleetTarget> parse_fleet_targets(const std::string& text);
// The targets a query on a control database lists: its first column a URL, or
// a schema name that becomes `base_url` with ?schema=NAME; a second column, if
// any, names the tenant.
[[nodiscard]] std::vector<FleetTarget> query_fleet_targets(Database& control, const std::string& query,
                                                           const std::string& base_url);
// "host:port" of a server URL; "local" for a file.
[[nodiscard]] std::string fleet_server_of(const std::string& url);

}  // namespace strata
