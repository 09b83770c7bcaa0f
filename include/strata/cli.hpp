// The strata command line: the generic `strata` tool and the same commands
// embedded in an application (`myapp [--env NAME] db <command> ...`).
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
//   "options": { "lock_timeout_s": 60, "snapshots": 3, "strict_checksums": false,
//                "pre_upgrade_command": "pg_dump ..." } }
struct Config {
    std::string default_env;
    std::map<std::string, std::map<std::string, std::string>> environments;  // env -> bind -> URL
    std::optional<long long> lock_timeout_s;
    std::optional<int> snapshots;
    std::optional<bool> strict_checksums;
    std::string pre_upgrade_command;

    // Throws ConfigError naming the file and the field.
    static Config load(const std::string& path);
    static Config parse(const std::string& json, const std::string& origin);
};

// The environment a command runs in: each bind's URL, after the config file,
// STRATA_<BIND>_URL and --bind NAME=URL (in that order of precedence, last wins).
struct Environment {
    std::string name;
    std::map<std::string, std::string> urls;
};

// Builds the application's upgrader for an environment. Use strata::defer_connect
// so offline commands (sql, --help) never open a database.
using UpgraderFactory = std::function<Upgrader(const Environment&)>;

// `strata [global options] <command> [arguments]`.
int main(int argc, char** argv);

// The commands embedded in an application that has built its upgrader: argv as
// main() gets it (argv[0] names the program in help, unless `program` does), so
// `myapp db status` is `strata::cli::main(argc - 1, argv + 1, upgrader, "myapp db")`.
// The binds are the upgrader's: --bind and --env do not apply.
int main(int argc, char** argv, Upgrader& upgrader, const std::string& program = {});

// An application's embedded commands, built per environment: `args` are the words after the
// application's own (the global options and the command), `defaults` the
// application's configuration, `program` how to name it in help ("myapp db").
int run(const std::vector<std::string>& args, const UpgraderFactory& make, const Config& defaults = {},
        const std::string& program = "app db");

// The environment that global options (--env, --config, --bind) select, for an
// application's own start. Throws ConfigError for an unknown environment or option.
[[nodiscard]] Environment environment(const std::vector<std::string>& global_options, const Config& defaults = {});

// The exit code for an error, as the commands use them.
[[nodiscard]] int exit_code(const Error& error);

}  // namespace strata::cli
