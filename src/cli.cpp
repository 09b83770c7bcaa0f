// The strata command line: argument parsing, commands, output and exit codes.
#include "strata/cli.hpp"

#include "json_output.hpp"
#include "strata/compare.hpp"
#include "strata/database.hpp"
#include "strata/errors.hpp"
#include "strata/inspect.hpp"

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace strata::cli {

namespace {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

const char* const general_help = R"(usage: strata [global options] <command> [arguments]

Commands:
  inspect URL [--format json|sql|mermaid]   print a database's schema
  diff URL_A URL_B [--exclude TABLE]        compare two databases' schemas (exit 3 when they differ)

Global options:
  --json        machine-readable output (JSON with a "format" field)
  -h, --help    this help; `strata <command> --help` for one command
  --version     print strata's version

Exit codes: 0 success, 1 database failure, 2 usage or configuration error,
3 differences found, 4 lock wait timed out, 5 database newer than the program.
)";

const char* const inspect_help = R"(usage: strata inspect URL [--format json|sql|mermaid]

Reads the schema of the database at URL (strata's own tables left out) and prints it:
  json     every table, column, key, index, constraint and SQL object (default with --json)
  sql      the DDL that recreates the schema on the same dialect (default)
  mermaid  an ER diagram (erDiagram) for documentation

URL: sqlite:path.db, sqlite:///relative.db, sqlite:////absolute.db,
     postgresql://user:password@host:port/dbname?schema=name
)";

const char* const diff_help = R"(usage: strata diff URL_A URL_B [--exclude TABLE]...

Compares the schemas of two databases (strata's own tables always left out).
Exit 0 when they are equal, 3 when they differ (the differences are listed).
)";

struct Options {
    bool json = false;
    std::vector<std::string> args;
};

int run_inspect(const Options& o)
{
    std::string format = o.json ? "json" : "sql";
    std::string url;
    for (std::size_t i = 0; i < o.args.size(); ++i) {
        const auto& a = o.args[i];
        if (a == "--help" || a == "-h") {
            std::cout << inspect_help;
            return ok;
        }
        if (a == "--format") {
            if (i + 1 >= o.args.size())
                throw UsageError("--format needs a value: json, sql or mermaid");
            format = o.args[++i];
        } else if (a.starts_with("--format=")) {
            format = a.substr(9);
        } else if (a.starts_with("-")) {
            throw UsageError("inspect: unknown option '" + a + "'");
        } else if (url.empty()) {
            url = a;
        } else {
            throw UsageError("inspect takes one URL, got '" + url + "' and '" + a + "'");
        }
    }
    if (url.empty())
        throw UsageError("inspect needs a database URL");
    if (format != "json" && format != "sql" && format != "mermaid")
        throw UsageError("unknown format '" + format + "': use json, sql or mermaid");
    auto db = connect(url, ConnectOptions{.read_only = false});
    auto schema = db.inspect();
    if (format == "json")
        std::cout << to_json(schema) << "\n";
    else if (format == "sql")
        std::cout << to_sql(schema, db.dialect());
    else
        std::cout << to_mermaid(schema);
    return ok;
}

int run_diff(const Options& o)
{
    std::vector<std::string> urls;
    CompareOptions options;
    for (std::size_t i = 0; i < o.args.size(); ++i) {
        const auto& a = o.args[i];
        if (a == "--help" || a == "-h") {
            std::cout << diff_help;
            return ok;
        }
        if (a == "--exclude") {
            if (i + 1 >= o.args.size())
                throw UsageError("--exclude needs a table name");
            options.exclude_tables.push_back(o.args[++i]);
        } else if (a.starts_with("--exclude=")) {
            options.exclude_tables.push_back(a.substr(10));
        } else if (a.starts_with("-")) {
            throw UsageError("diff: unknown option '" + a + "'");
        } else {
            urls.push_back(a);
        }
    }
    if (urls.size() != 2)
        throw UsageError("diff needs two database URLs");
    auto a = connect(urls[0]);
    auto b = connect(urls[1]);
    // Object bodies compare only between the same engine (PostgreSQL re-renders them).
    options.object_definitions = a.dialect().name() == b.dialect().name();
    auto schemas = inspect_all({&a.session(), &b.session()});
    auto differences = compare(schemas[0], schemas[1], options);
    auto label_a = a.url().masked();
    auto label_b = b.url().masked();
    if (o.json) {
        nlohmann::json out{{"format", "strata.diff/1"},
                           {"a", label_a},
                           {"b", label_b},
                           {"equal", differences.empty()},
                           {"differences", detail::differences_json(differences)}};
        std::cout << out.dump(2) << "\n";
    } else if (differences.empty()) {
        std::cout << "no differences\n";
    } else {
        for (const auto& d : differences)
            std::cout << to_text(d, "A", "B") << "\n";
        std::cout << differences.size() << " difference" << (differences.size() == 1 ? "" : "s") << " (A = " << label_a
                  << ", B = " << label_b << ")\n";
    }
    return differences.empty() ? ok : ExitCode::differences;
}

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

}  // namespace

int main(int argc, char** argv)
{
    Options o;
    std::string command;
    try {
        int i = 1;
        for (; i < argc; ++i) {
            std::string a = argv[i];
            if (a == "--json")
                o.json = true;
            else if (a == "-h" || a == "--help") {
                std::cout << general_help;
                return ok;
            } else if (a == "--version") {
                std::cout << "strata " << STRATA_VERSION_STRING << "\n";
                return ok;
            } else if (a.starts_with("-"))
                throw UsageError("unknown global option '" + a + "' (see strata --help)");
            else
                break;
        }
        if (i >= argc)
            throw UsageError("no command given (see strata --help)");
        command = argv[i++];
        for (; i < argc; ++i)
            o.args.emplace_back(argv[i]);
        if (command == "inspect")
            return run_inspect(o);
        if (command == "diff")
            return run_diff(o);
        throw UsageError("unknown command '" + command + "' (see strata --help)");
    } catch (const UsageError& e) {
        std::cerr << "strata: " << e.what() << "\n";
        return usage;
    } catch (const Error& e) {
        std::cerr << "strata: " << (command.empty() ? "" : command + ": ") << e.what() << "\n";
        return exit_code_of(e);
    } catch (const std::exception& e) {
        std::cerr << "strata: " << e.what() << "\n";
        return failure;
    }
}

}  // namespace strata::cli
