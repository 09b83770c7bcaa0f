// The strata command line: the generic `strata` tool, and an application's
// main() with the same commands (`myapp [--env NAME] db <command> ...`).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace strata {
class Error;
class Upgrader;
}

namespace strata::cli {

// Exit codes (fixed): 0 success, 1 migration or database failure, 2 usage,
// configuration or model error, 3 differences found, 4 lock wait timed out,
// 5 database newer than the program.
enum ExitCode : int {
    ok = 0,
    failure = 1,
    usage = 2,
    differences = 3,
    lock_timeout = 4,
    database_newer = 5,
};

// What a config file (--config FILE, JSON) holds, or an application's defaults:
// { "default_env": "lite",
//   "environments": { "lite": { "binds": { "app": "sqlite:app.db" } } },
//   "options": { "lock_timeout_s": 60, "step_lock_timeout_ms": 1000, "lock_retries": 5,
//                "snapshots": 3, "strict_checksums": false,
//                "pre_upgrade_command": "pg_dump ..." } }
struct Config {
    std::string default_env;
    std::map<std::string, std::map<std::string, std::string>> environments;  // env -> bind -> URL
    std::optional<long long> lock_timeout_s;
    std::optional<long long> step_lock_timeout_ms;  // PostgreSQL: a step statement's lock wait (RunOptions)
    std::optional<long long> lock_retries;
    std::optional<int> snapshots;
    std::optional<bool> strict_checksums;
    std::optional<bool> strict_lint;  // a lint finding in a pending step refuses the upgrade
    std::string pre_upgrade_command;
    std::string schema_file;  // written by upgrade, checked by check (--schema-file)

    // Throws ConfigError naming the file and the field.
    static Config load(const std::string& path);
    static Config parse(const std::string& json, const std::string& origin);
};

// The environment a command runs in: each bind's URL, after the config file,
// STRATA_<BIND>_URL and --bind NAME=URL (in that order of precedence, last wins).
struct Environment {
    std::string name;
    // What --bind and the configuration's environment give (STRATA_<BIND>_URL
    // already applied to the binds the configuration names).
    std::map<std::string, std::string> urls;

    // The URL of a bind, whoever declares it: --bind, then STRATA_<BIND>_URL,
    // then the configuration's environment; then DATABASE_URL, which serves a
    // project with a single bind only. Throws ConfigError naming the bind and
    // the ways to give one.
    [[nodiscard]] const std::string& url(const std::string& bind) const;
    // The binds url() gave DATABASE_URL (the CLI refuses it for several binds).
    [[nodiscard]] const std::vector<std::string>& binds_from_database_url() const noexcept { return from_database_url_; }

private:
    mutable std::map<std::string, std::string> found_;
    mutable std::vector<std::string> from_database_url_;
};

// Builds the application's upgrader for an environment. Use strata::defer_connect
// so offline commands (sql, --help) never open a database.
using UpgraderFactory = std::function<Upgrader(const Environment&)>;

// What an application does at a start with its upgrader (run() it, then serve);
// returns the exit code.
using StartFunction = std::function<int(Upgrader&)>;

// `strata [global options] <command> [arguments]`.
int main(int argc, char** argv);

// An application's whole main():
//   myapp [global options]                 builds the upgrader for the environment
//                                          and calls `start` (by default: run() it
//                                          and print "<bind>: <action> at version N")
//   myapp [global options] db <command>    the strata commands on the same binds
//   myapp --help                           both usages (`myapp db --help`: the commands)
// Global options: --env, --config, --bind NAME=URL, -v, -q (and strata's others
// for the db commands). An error prints as "myapp: <message>" and returns its
// exit code.
int app_main(int argc, char** argv, const UpgraderFactory& make, const Config& defaults = {},
             const StartFunction& start = {});

// The exit code for an error, as the commands use them.
[[nodiscard]] int exit_code(const Error& error);

}  // namespace strata::cli
