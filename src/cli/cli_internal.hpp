// The command line's parts: options, output, and the commands.
#pragma once

#include "strata/cli.hpp"
#include "strata/scratch.hpp"
#include "strata/upgrader.hpp"

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace strata::cli::detail {

// A usage mistake: exit 2 with the message.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct GlobalOptions {
    std::string dir;                 // --dir: SQL-file migrations
    bool json = false;
    std::string config_file;
    std::string env;
    std::vector<std::pair<std::string, std::string>> binds;  // --bind NAME=URL
    std::vector<std::string> only;
    std::optional<long long> lock_timeout_s;
    std::optional<long long> step_lock_timeout_ms;
    std::optional<long long> lock_retries;
    std::string scratch_url;
    int verbosity = 0;               // -1 quiet, 1 verbose
    std::string command;
    std::vector<std::string> args;   // after the command
    bool help = false;
};

// Parses the words before and including the command; the rest are the command's.
GlobalOptions parse_global(const std::vector<std::string>& words);
// One global option at words[i] (moving i past its value); false when words[i]
// is not one. -h/--help and --version are the caller's.
bool take_global_option(const std::vector<std::string>& words, std::size_t& i, GlobalOptions& o);
int exit_code_of(const Error& e);
void set_verbosity(int verbosity);
// The environment the options select: the defaults, the config file over them
// (`config` gets the merged options), STRATA_<BIND>_URL, then --bind.
Environment resolve_environment(const GlobalOptions& o, const Config& defaults, Config& config);
// "STRATA_APP_URL" for bind "app".
std::string env_var_for(const std::string& bind);
RunOptions run_options_of(const GlobalOptions& o, const Config& config);

// Where output goes: data to stdout, diagnostics to stderr, colour only on a
// terminal and never with NO_COLOR, a progress line only on a terminal.
class Output {
public:
    explicit Output(const GlobalOptions& options);
    [[nodiscard]] bool json() const noexcept { return json_; }
    std::ostream& out();
    void note(const std::string& text);   // stderr unless quiet
    void warn(const std::string& text);
    [[nodiscard]] std::string paint(const std::string& text, const char* colour) const;
    // Progress of a chain's steps and of long work inside a step: a line kept
    // up to date on a terminal; elsewhere a log line every few seconds. Never
    // with -q or --json.
    void progress(const StepEvent& event);
    void work(const WorkProgress& event);
    void print_json(const nlohmann::json& j);

private:
    using Clock = std::chrono::steady_clock;
    // "12/40 steps, 2.4/s, about 12 s left" for what started at `since`.
    static std::string how_far(long long done, long long total, const std::string& unit, Clock::time_point since);
    void show(const std::string& line, bool finished);
    // When the activity (a bind's steps, a snapshot) showed first.
    Clock::time_point started(const std::string& activity);

    bool json_;
    bool quiet_;
    bool colour_;
    bool terminal_;
    std::map<std::string, Clock::time_point> started_;
    Clock::time_point last_log_ = Clock::now();
};

// What the commands act on.
struct Context {
    GlobalOptions options;
    Output& output;
    std::string program;
    Upgrader* upgrader = nullptr;        // null when the command needs no binds
    std::unique_ptr<Upgrader> owned;     // the upgrader when the CLI built it
    RunOptions run_options;
    std::vector<std::string> selected;   // binds after --only
    std::string schema_file;             // the configuration's; --schema-file wins
    const UpgraderFactory* make = nullptr;  // an application's (its embedded CLI)
    Environment env;                     // what the options and configuration select
};

// The command's arguments: flags with values, flags alone, positional words.
class Args {
public:
    Args(const std::vector<std::string>& words, const std::vector<std::string>& with_value,
         const std::vector<std::string>& alone, const std::string& command);
    [[nodiscard]] bool has(const std::string& flag) const;
    [[nodiscard]] std::optional<std::string> value(const std::string& flag) const;
    [[nodiscard]] std::vector<std::string> values(const std::string& flag) const;
    [[nodiscard]] const std::vector<std::string>& positional() const noexcept { return positional_; }
    [[nodiscard]] long long number(const std::string& flag) const;

private:
    std::string command_;
    std::vector<std::pair<std::string, std::string>> flags_;
    std::vector<std::string> positional_;
};

long long parse_version(const std::string& text, const std::string& what);

// `strata --help`: the commands and global options ({program} stands for the program).
extern const char* const general_help;
// `myapp --help` of an application's app_main.
extern const char* const application_help;
// `text` with {program} replaced.
std::string with_program(std::string text, const std::string& program);
// Help text of a command (empty when there is no such command).
std::string help_of(const std::string& command, const std::string& program);

// The commands; each returns its exit code.
int cmd_setup_db(Context& c);
int cmd_clean_db(Context& c);
int cmd_upgrade(Context& c);
int cmd_downgrade(Context& c);
int cmd_status(Context& c);
int cmd_history(Context& c);
int cmd_stamp(Context& c);
int cmd_sql(Context& c);
int cmd_lint(Context& c);
int cmd_fleet(Context& c);
int cmd_check(Context& c);
int cmd_verify(Context& c);
int cmd_autogenerate(Context& c);
int cmd_create(Context& c);
int cmd_inspect(Context& c);
int cmd_diff(Context& c);
int cmd_init(Context& c);
int cmd_wait(Context& c);
int cmd_completion(Context& c);
// The bash completion script for `program`.
std::string bash_completion(const std::string& program);

// Commands that need the binds: all but inspect, diff and init, and create
// unless an application embeds the commands (SQL files need no database).
bool needs_binds(const std::string& command, bool embedded);

// Scratch databases for verify and check, of each bind's engine: on the bind's
// server, or on the server --scratch-url names (with the bind's schema).
class Scratch {
public:
    Scratch(const Database& like, const std::string& scratch_url);
    Database make();

private:
    Url like_;
    std::vector<std::unique_ptr<ScratchDatabase>> made_;
};

}  // namespace strata::cli::detail
