// The command line: global options, configuration, output, dispatch, exit codes.
#include "cli_internal.hpp"

#include "json_output.hpp"
#include "log.hpp"
#include "strata/database.hpp"
#include "strata/errors.hpp"
#include "strata/sql_files.hpp"
#include "strata/url.hpp"
#include "text.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace strata::cli {

// ---- configuration ----

Config Config::parse(const std::string& text, const std::string& origin)
{
    using nlohmann::json;
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {  // parse_error, or out_of_range for a number too large
        throw ConfigError("configuration " + origin + " is not valid JSON: " + e.what());
    }
    auto bad = [&](const std::string& why) { throw ConfigError("configuration " + origin + ": " + why); };
    if (!j.is_object())
        bad("the top level must be an object with \"environments\"");
    Config c;
    for (const auto& [key, value] : j.items()) {
        if (key == "default_env") {
            if (!value.is_string())
                bad("\"default_env\" must be a string");
            c.default_env = value.get<std::string>();
        } else if (key == "environments") {
            if (!value.is_object())
                bad("\"environments\" must be an object of environments");
            for (const auto& [env, body] : value.items()) {
                if (!body.is_object() || !body.contains("binds") || !body["binds"].is_object())
                    bad("environment \"" + env + "\" needs \"binds\": {\"<bind>\": \"<url>\"}");
                for (const auto& [bind, url] : body["binds"].items()) {
                    if (!url.is_string())
                        bad("environment \"" + env + "\": bind \"" + bind + "\" must be a URL string");
                    c.environments[env][bind] = url.get<std::string>();
                }
            }
        } else if (key == "options") {
            if (!value.is_object())
                bad("\"options\" must be an object");
            for (const auto& [name, v] : value.items()) {
                if (name == "lock_timeout_s" && v.is_number_integer() && v.get<long long>() > 0)
                    c.lock_timeout_s = v.get<long long>();
                else if (name == "snapshots" && v.is_number_integer() && v.get<int>() >= 0)
                    c.snapshots = v.get<int>();
                else if (name == "strict_checksums" && v.is_boolean())
                    c.strict_checksums = v.get<bool>();
                else if (name == "pre_upgrade_command" && v.is_string())
                    c.pre_upgrade_command = v.get<std::string>();
                else
                    bad("option \"" + name + "\" is unknown or has a wrong value (lock_timeout_s: seconds > 0, "
                        "snapshots: count >= 0, strict_checksums: true/false, pre_upgrade_command: text)");
            }
        } else {
            bad("unknown field \"" + key + "\" (use default_env, environments, options)");
        }
    }
    if (!c.default_env.empty() && !c.environments.count(c.default_env))
        bad("default_env \"" + c.default_env + "\" is not one of the environments");
    return c;
}

Config Config::load(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw ConfigError("cannot read the configuration file " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return parse(s.str(), path);
}

namespace detail {

namespace {

std::string env_var_for(const std::string& bind)
{
    std::string name = "STRATA_";
    for (char c : bind)
        name += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : '_';
    return name + "_URL";
}


std::string with_program(std::string text, const std::string& program)
{
    for (auto at = text.find("{program}"); at != std::string::npos; at = text.find("{program}"))
        text.replace(at, 9, program);
    return text;
}

}  // namespace

int exit_code_of(const Error& e)
{
    switch (e.code()) {
    case ErrorCode::model_invalid:
    case ErrorCode::config_invalid:
    case ErrorCode::usage: return usage;
    case ErrorCode::lock_timeout: return lock_timeout;
    case ErrorCode::database_newer: return database_newer;
    case ErrorCode::verification_failed: return differences;
    default: return failure;
    }
}

void set_verbosity(int verbosity)
{
    auto& logger = strata::detail::logger();
    // The commands print their own results; the per-step log lines show with -v.
    logger.set_level(verbosity < 0 ? spdlog::level::err : verbosity > 0 ? spdlog::level::debug : spdlog::level::warn);
}

Environment resolve_environment(const GlobalOptions& o, const Config& defaults, Config& config)
{
    config = defaults;
    if (!o.config_file.empty()) {
        auto file = Config::load(o.config_file);
        for (auto& [env, binds] : file.environments)
            for (auto& [bind, url] : binds)
                config.environments[env][bind] = url;
        if (!file.default_env.empty())
            config.default_env = file.default_env;
        if (file.lock_timeout_s)
            config.lock_timeout_s = file.lock_timeout_s;
        if (file.snapshots)
            config.snapshots = file.snapshots;
        if (file.strict_checksums)
            config.strict_checksums = file.strict_checksums;
        if (!file.pre_upgrade_command.empty())
            config.pre_upgrade_command = file.pre_upgrade_command;
    }
    Environment env;
    env.name = !o.env.empty() ? o.env : config.default_env;
    if (!o.env.empty() && !config.environments.count(o.env)) {
        std::vector<std::string> names;
        for (const auto& [name, _] : config.environments)
            names.push_back(name);
        throw ConfigError("unknown environment '" + o.env + "'" +
                          (names.empty() ? " (no configuration gives environments: use --config FILE)"
                                         : " (environments: " + strata::detail::join(names, ", ") + ")"));
    }
    if (auto it = config.environments.find(env.name); it != config.environments.end())
        env.urls = it->second;
    for (auto& [bind, url] : env.urls)
        if (const char* v = std::getenv(env_var_for(bind).c_str()); v && *v)
            url = v;
    for (const auto& [bind, url] : o.binds)
        env.urls[bind] = url;
    return env;
}

namespace {

RunOptions run_options_of(const GlobalOptions& o, const Config& config)
{
    RunOptions r;
    if (config.lock_timeout_s)
        r.lock_timeout = std::chrono::seconds(*config.lock_timeout_s);
    if (o.lock_timeout_s)
        r.lock_timeout = std::chrono::seconds(*o.lock_timeout_s);
    if (config.snapshots)
        r.snapshots = *config.snapshots;
    if (config.strict_checksums)
        r.strict_checksums = *config.strict_checksums;
    r.pre_upgrade_command = config.pre_upgrade_command;
    r.only = o.only;
    return r;
}

// Commands that only look neither create a SQLite file nor write to one.
ConnectOptions connect_options_for(const std::string& command)
{
    ConnectOptions options;
    if (command == "status" || command == "history" || command == "check") {
        options.read_only = true;
        options.missing_file_is_empty = true;
    }
    return options;
}

// The generic tool's binds: one per migrations/<bind>/ directory, URLs from the environment.
Upgrader sql_file_upgrader(const GlobalOptions& o, const Environment& env)
{
    auto migrations = load_sql_migrations(o.dir);
    Upgrader up;
    for (auto& [bind, steps] : migrations) {
        auto url = env.urls.find(bind);
        if (url == env.urls.end() && o.command == "sql") {
            // Offline SQL needs no database: --dialect names the engine, nothing connects.
            const auto& any = *dialects().front();  // a placeholder that never connects
            auto b = up.bind(bind, Database(any, Url{.scheme = std::string(any.name())}, {}), Schema{});
            b.without_models();
            for (auto& s : steps)
                b.add(std::move(s));
            continue;
        }
        if (url == env.urls.end())
            throw ConfigError("bind '" + bind + "' (" + (std::filesystem::path(o.dir) / bind).string() +
                              ") has no URL: give --bind " + bind + "=URL, " + env_var_for(bind) +
                              ", or an environment in --config");
        auto b = up.bind(bind, defer_connect(url->second, connect_options_for(o.command)), Schema{});
        b.without_models();
        for (auto& s : steps)
            b.add(std::move(s));
    }
    for (const auto& [bind, url] : env.urls)
        if (!migrations.count(bind))
            throw ConfigError("bind '" + bind + "' has a URL but no directory " +
                              (std::filesystem::path(o.dir) / bind).string());
    return up;
}

using Command = int (*)(Context&);

Command command_named(const std::string& name)
{
    static const std::pair<const char*, Command> commands[] = {
        {"setup-db", cmd_setup_db}, {"clean-db", cmd_clean_db},   {"upgrade", cmd_upgrade},
        {"downgrade", cmd_downgrade}, {"status", cmd_status},     {"history", cmd_history},
        {"stamp", cmd_stamp},         {"sql", cmd_sql},           {"check", cmd_check},
        {"verify", cmd_verify},       {"autogenerate", cmd_autogenerate}, {"create", cmd_create},
        {"inspect", cmd_inspect},     {"diff", cmd_diff},
    };
    for (const auto& [n, c] : commands)
        if (name == n)
            return c;
    return nullptr;
}

int dispatch(const std::vector<std::string>& words, const UpgraderFactory* make, const Config& defaults,
             const std::string& program, Upgrader* given)
{
    GlobalOptions options;
    try {
        options = parse_global(words);
    } catch (const UsageError& e) {
        std::cerr << program << ": " << e.what() << "\n";
        return usage;
    }
    set_verbosity(options.verbosity);
    Output output(options);
    if (options.command == "--version") {
        std::cout << "strata " << STRATA_VERSION_STRING << "\n";
        return ok;
    }
    if (options.command.empty()) {
        if (options.help) {
            std::cout << with_program(general_help, program);
            return ok;
        }
        std::cerr << program << ": no command given (see " << program << " --help)\n";
        return usage;
    }
    auto command = command_named(options.command);
    if (!command) {
        std::cerr << program << ": unknown command '" << options.command << "' (see " << program << " --help)\n";
        return usage;
    }
    if (options.help || std::find(options.args.begin(), options.args.end(), "--help") != options.args.end() ||
        std::find(options.args.begin(), options.args.end(), "-h") != options.args.end()) {
        std::cout << help_of(options.command, program);
        return ok;
    }
    Context context{options, output, program, nullptr, nullptr, {}, {}};
    try {
        Config config;
        auto env = resolve_environment(options, defaults, config);
        context.run_options = run_options_of(options, config);
        if (needs_binds(options.command)) {
            if (given) {
                if (!options.binds.empty() || !options.env.empty())
                    throw UsageError("this program's databases are set up in its code: --bind and --env do not apply");
                context.upgrader = given;
            } else if (make) {
                context.owned = std::make_unique<Upgrader>((*make)(env));
            } else if (!options.dir.empty()) {
                context.owned = std::make_unique<Upgrader>(sql_file_upgrader(options, env));
            } else {
                throw UsageError(options.command + " needs binds: give --dir DIR (migrations/<bind>/NNNN_name.sql) "
                                                   "with --bind NAME=URL or --config FILE");
            }
            if (context.owned)
                context.upgrader = context.owned.get();
            for (const auto& name : options.only) {
                const auto all = context.upgrader->binds();
                if (std::find(all.begin(), all.end(), name) == all.end())
                    throw UsageError("unknown bind '" + name + "' in --only (binds: " + strata::detail::join(all, ", ") + ")");
            }
            for (const auto& name : context.upgrader->binds())
                if (options.only.empty() || std::find(options.only.begin(), options.only.end(), name) != options.only.end())
                    context.selected.push_back(name);
            // -v shows each statement; commands that work offline do not connect for it.
            if (options.verbosity > 0 && options.command != "sql" && options.command != "create")
                for (const auto& name : context.selected)
                    context.upgrader->database(name).session().set_statement_observer(
                        [name](std::string_view sql) { strata::detail::logger().debug("{}: {}", name, sql); });
        }
        return command(context);
    } catch (const UsageError& e) {
        std::cerr << program << ": " << options.command << ": " << e.what() << "\n";
        return usage;
    } catch (const Error& e) {
        std::cerr << program << ": " << options.command << ": " << e.what() << "\n";
        return exit_code_of(e);
    } catch (const std::exception& e) {
        std::cerr << program << ": " << options.command << ": " << e.what() << "\n";
        return failure;
    }
}

}  // namespace

namespace {

// One global option at words[i] (moving i past its value); false when words[i]
// is not one. -h/--help and --version are the caller's.
bool take_global_option(const std::vector<std::string>& words, std::size_t& i, GlobalOptions& o)
{
    const std::string& w = words[i];
    std::string flag = w, inline_value;
    bool has_inline = false;
    if (auto eq = w.find('='); w.starts_with("--") && eq != std::string::npos) {
        flag = w.substr(0, eq);
        inline_value = w.substr(eq + 1);
        has_inline = true;
    }
    auto take = [&](const std::string& f) {
        if (has_inline)
            return inline_value;
        if (i + 1 >= words.size())
            throw UsageError(f + " needs a value (see --help)");
        return words[++i];
    };
    if (flag == "--dir")
        o.dir = take(flag);
    else if (flag == "--json" && !has_inline)
        o.json = true;
    else if (flag == "--config")
        o.config_file = take(flag);
    else if (flag == "--env")
        o.env = take(flag);
    else if (flag == "--bind") {
        auto spec = take(flag);
        auto eq = spec.find('=');
        if (eq == std::string::npos || eq == 0)
            throw UsageError("--bind takes NAME=URL, not '" + mask_passwords(spec) + "'");
        o.binds.emplace_back(spec.substr(0, eq), spec.substr(eq + 1));
    } else if (flag == "--only")
        o.only.push_back(take(flag));
    else if (flag == "--lock-timeout") {
        auto text = take(flag);
        long long seconds = 0;
        auto r = std::from_chars(text.data(), text.data() + text.size(), seconds);
        if (r.ec != std::errc{} || r.ptr != text.data() + text.size() || seconds <= 0)
            throw UsageError("--lock-timeout takes whole seconds > 0, not '" + text + "'");
        o.lock_timeout_s = seconds;
    } else if (flag == "--scratch-url")
        o.scratch_url = take(flag);
    else if (w == "-v" || w == "--verbose")
        o.verbosity = 1;
    else if (w == "-q" || w == "--quiet")
        o.verbosity = -1;
    else
        return false;
    return true;
}

}  // namespace

GlobalOptions parse_global(const std::vector<std::string>& words)
{
    GlobalOptions o;
    std::size_t i = 0;
    for (; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (take_global_option(words, i, o))
            continue;
        if (w == "-h" || w == "--help")
            o.help = true;
        else if (w == "--version") {
            o.command = "--version";
            return o;
        } else if (w.starts_with("-"))
            throw UsageError("unknown option '" + w + "' (see --help)");
        else
            break;
    }
    if (i < words.size()) {
        o.command = words[i++];
        // Global options may also follow the command (`status --json`); the rest
        // are the command's own.
        for (; i < words.size(); ++i)
            if (!take_global_option(words, i, o))
                o.args.push_back(words[i]);
    }
    return o;
}

Output::Output(const GlobalOptions& options)
    : json_(options.json),
      quiet_(options.verbosity < 0),
      colour_(isatty(1) && !std::getenv("NO_COLOR")),
      progress_(isatty(2) && options.verbosity >= 0 && !options.json)
{
}

std::ostream& Output::out()
{
    return std::cout;
}

void Output::note(const std::string& text)
{
    if (!quiet_)
        std::cerr << text << "\n";
}

void Output::warn(const std::string& text)
{
    std::cerr << "warning: " << text << "\n";
}

std::string Output::paint(const std::string& text, const char* colour) const
{
    if (!colour_)
        return text;
    return std::string("\x1b[") + colour + "m" + text + "\x1b[0m";
}

void Output::progress(const StepEvent& e)
{
    if (!progress_)
        return;
    std::string what = e.bind + ": " + (e.down ? "reverting " : "") + "step " + std::to_string(e.version) + " \"" +
                       e.description + "\"";
    if (!e.finished)
        std::cerr << "\r\x1b[2K" << what << " ..." << std::flush;
    else
        std::cerr << "\r\x1b[2K" << what << " done in " << static_cast<long long>(e.duration_ms) << " ms\n";
}

void Output::print_json(const nlohmann::json& j)
{
    std::cout << strata::detail::dump_json(j, 2) << "\n";
}

Args::Args(const std::vector<std::string>& words, const std::vector<std::string>& with_value,
           const std::vector<std::string>& alone, const std::string& command)
    : command_(command)
{
    for (std::size_t i = 0; i < words.size(); ++i) {
        const auto& w = words[i];
        std::string flag = w, v;
        bool inline_value = false;
        if (auto eq = w.find('='); w.starts_with("--") && eq != std::string::npos) {
            flag = w.substr(0, eq);
            v = w.substr(eq + 1);
            inline_value = true;
        }
        if (std::find(with_value.begin(), with_value.end(), flag) != with_value.end()) {
            if (!inline_value) {
                if (i + 1 >= words.size())
                    throw UsageError(flag + " needs a value");
                v = words[++i];
            }
            flags_.emplace_back(flag, v);
        } else if (std::find(alone.begin(), alone.end(), w) != alone.end()) {
            flags_.emplace_back(w, "");
        } else if (w.starts_with("-") && w.size() > 1 && !(w[1] >= '0' && w[1] <= '9')) {
            throw UsageError("unknown option '" + w + "' for " + command + " (see " + command + " --help)");
        } else {
            positional_.push_back(w);
        }
    }
}

bool Args::has(const std::string& flag) const
{
    return std::any_of(flags_.begin(), flags_.end(), [&](const auto& f) { return f.first == flag; });
}

std::optional<std::string> Args::value(const std::string& flag) const
{
    for (auto it = flags_.rbegin(); it != flags_.rend(); ++it)
        if (it->first == flag)
            return it->second;
    return std::nullopt;
}

std::vector<std::string> Args::values(const std::string& flag) const
{
    std::vector<std::string> out;
    for (const auto& f : flags_)
        if (f.first == flag)
            out.push_back(f.second);
    return out;
}

long long Args::number(const std::string& flag) const
{
    auto v = value(flag);
    if (!v)
        throw UsageError(command_ + " needs " + flag + " N");
    return parse_version(*v, flag);
}

long long parse_version(const std::string& text, const std::string& what)
{
    long long v = 0;
    auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec != std::errc{} || r.ptr != text.data() + text.size() || v < 0)
        throw UsageError(what + " takes a version number (0, 1, 2, ...), not '" + text + "'");
    return v;
}

Scratch::Scratch(const Database& like, const std::string& scratch_url) : like_(like.url())
{
    if (scratch_url.empty())
        return;
    // Another server of the bind's engine: its location, the bind's schema.
    auto server = Url::parse(scratch_url);
    if (server.scheme != like_.scheme)
        return;
    const auto schema = like_.params.find("schema");
    server.params.erase("schema");
    if (schema != like_.params.end())
        server.params.insert(*schema);
    like_ = std::move(server);
}

Database Scratch::make()
{
    made_.push_back(std::make_unique<ScratchDatabase>(like_.unmasked()));
    return made_.back()->connect();
}

}  // namespace detail

Environment environment(const std::vector<std::string>& global_options, const Config& defaults)
{
    detail::GlobalOptions o;
    try {
        o = detail::parse_global(global_options);
    } catch (const detail::UsageError& e) {
        throw ConfigError(e.what());
    }
    if (!o.command.empty())
        throw ConfigError("unexpected '" + o.command + "' among the options");
    Config config;
    return detail::resolve_environment(o, defaults, config);
}

int exit_code(const Error& error)
{
    return detail::exit_code_of(error);
}

int main(int argc, char** argv)
{
    std::vector<std::string> words(argv + 1, argv + argc);
    return detail::dispatch(words, nullptr, Config{}, "strata", nullptr);
}

int main(int argc, char** argv, Upgrader& upgrader, const std::string& program)
{
    std::vector<std::string> words(argv + 1, argv + argc);
    std::string name = program;
    if (name.empty())
        name = argc > 0 ? std::filesystem::path(argv[0]).filename().string() : "app";
    return detail::dispatch(words, nullptr, Config{}, name, &upgrader);
}

int run(const std::vector<std::string>& args, const UpgraderFactory& make, const Config& defaults, const std::string& program)
{
    return detail::dispatch(args, &make, defaults, program, nullptr);
}

}  // namespace strata::cli
