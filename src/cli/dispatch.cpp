// The command line's entry points: the commands by name, the generic tool's
// binds, and an application's main().
#include "cli_internal.hpp"

#include "log.hpp"
#include "strata/database.hpp"
#include "strata/errors.hpp"
#include "strata/sql_files.hpp"
#include "text.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>

namespace strata::cli {

namespace detail {

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

namespace {

// Commands that only look neither create a SQLite file nor write to one.
ConnectOptions connect_options_for(const std::string& command)
{
    ConnectOptions options;
    if (command == "status" || command == "history" || command == "check" || command == "wait") {
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
        std::optional<std::string> url;
        try {
            url = env.url(bind);
        } catch (const ConfigError&) {
            if (o.command != "sql" && o.command != "lint")
                throw;
        }
        if (!url) {
            // Offline SQL and lint need no database: --dialect names the engine,
            // nothing connects; lint checks PostgreSQL's rules unless told otherwise.
            const auto* pg = find_dialect("postgresql");
            const auto& any = pg ? *pg : *dialects().front();  // a placeholder that never connects
            auto b = up.bind(bind, Database(any, Url{.scheme = std::string(any.name())}, {}), Schema{});
            b.without_models();
            for (auto& s : steps)
                b.add(std::move(s));
            continue;
        }
        auto b = up.bind(bind, defer_connect(*url, connect_options_for(o.command)), Schema{});
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

// DATABASE_URL names one database: given to one bind of several, the others
// would silently share it or fail later; say so before anything connects.
void refuse_database_url_for_several_binds(const Environment& env, const std::vector<std::string>& binds)
{
    if (env.binds_from_database_url().empty() || binds.size() < 2)
        return;
    std::string others;
    for (const auto& b : binds)
        others += std::string(others.empty() ? "" : ", ") + env_var_for(b);
    throw ConfigError("DATABASE_URL serves a project with a single bind, and this one has " +
                      std::to_string(binds.size()) + " (" + strata::detail::join(binds, ", ") + "): give each bind its "
                      "URL with --bind NAME=URL or " + others);
}

using Command = int (*)(Context&);

Command command_named(const std::string& name)
{
    static const std::pair<const char*, Command> commands[] = {
        {"setup-db", cmd_setup_db}, {"clean-db", cmd_clean_db},   {"upgrade", cmd_upgrade},
        {"downgrade", cmd_downgrade}, {"status", cmd_status},     {"history", cmd_history},
        {"stamp", cmd_stamp},         {"sql", cmd_sql},           {"check", cmd_check},
        {"verify", cmd_verify},       {"autogenerate", cmd_autogenerate}, {"create", cmd_create},
        {"inspect", cmd_inspect},     {"diff", cmd_diff},         {"init", cmd_init},
        {"wait", cmd_wait},           {"completion", cmd_completion}, {"lint", cmd_lint},
        {"fleet", cmd_fleet},
    };
    for (const auto& [n, c] : commands)
        if (name == n)
            return c;
    return nullptr;
}

int dispatch(const std::vector<std::string>& words, const UpgraderFactory* make, const Config& defaults,
             const std::string& program)
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
        context.schema_file = config.schema_file;
        context.make = make;
        context.env = env;
        if (needs_binds(options.command, make != nullptr)) {
            if (make) {
                context.owned = std::make_unique<Upgrader>((*make)(env));
            } else if (!options.dir.empty()) {
                context.owned = std::make_unique<Upgrader>(sql_file_upgrader(options, env));
            } else {
                throw UsageError(options.command + " needs binds: give --dir DIR (migrations/<bind>/NNNN_name.sql) "
                                                   "with --bind NAME=URL or --config FILE");
            }
            if (context.owned)
                context.upgrader = context.owned.get();
            refuse_database_url_for_several_binds(env, context.upgrader->binds());
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


// The application's start when it gives none: run the upgrader, one line per bind.
int run_and_report(Upgrader& upgrader)
{
    for (const auto& b : upgrader.run().binds)
        std::cout << b.bind << ": " << b.action << " at version " << b.to << "\n";
    return ok;
}

}  // namespace

}  // namespace detail

int exit_code(const Error& error)
{
    return detail::exit_code_of(error);
}

int main(int argc, char** argv)
{
    std::vector<std::string> words(argv + 1, argv + argc);
    return detail::dispatch(words, nullptr, Config{}, "strata");
}

int app_main(int argc, char** argv, const UpgraderFactory& make, const Config& defaults, const StartFunction& start)
{
    const std::string program = argc > 0 ? std::filesystem::path(argv[0]).filename().string() : std::string("app");
    const std::vector<std::string> words(argv + std::min(argc, 1), argv + argc);
    // The global options, up to the first other word: "db" and the strata command, or nothing.
    detail::GlobalOptions options;
    std::size_t i = 0;
    try {
        for (; i < words.size() && words[i].starts_with("-"); ++i)
            if (words[i] == "-h" || words[i] == "--help")
                options.help = true;
            else if (!detail::take_global_option(words, i, options))
                throw detail::UsageError("unknown option '" + words[i] + "' (see " + program + " --help)");
        if (i < words.size() && words[i] != "db")
            throw detail::UsageError("unknown word '" + words[i] + "': " + program + " takes options, or db <command> (see " +
                                     program + " --help)");
    } catch (const detail::UsageError& e) {
        std::cerr << program << ": " << e.what() << "\n";
        return usage;
    }
    if (i < words.size()) {
        std::vector<std::string> command(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(i));
        command.insert(command.end(), words.begin() + static_cast<std::ptrdiff_t>(i) + 1, words.end());
        return detail::dispatch(command, &make, defaults, program + " db");
    }
    if (options.help) {
        std::cout << detail::with_program(detail::application_help, program);
        return ok;
    }
    detail::set_verbosity(options.verbosity);
    try {
        Config config;
        const auto env = detail::resolve_environment(options, defaults, config);
        auto upgrader = make(env);
        detail::refuse_database_url_for_several_binds(env, upgrader.binds());
        return start ? start(upgrader) : detail::run_and_report(upgrader);
    } catch (const Error& e) {
        std::cerr << program << ": " << e.what() << "\n";
        return detail::exit_code_of(e);
    } catch (const std::exception& e) {
        std::cerr << program << ": " << e.what() << "\n";
        return failure;
    }
}

}  // namespace strata::cli
