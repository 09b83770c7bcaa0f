// soseki-demo: Soseki's two databases on strata.
//   soseki-demo [--env NAME] [--config FILE]        start the application: set up or upgrade both binds
//   soseki-demo [--env NAME] db <command> ...       the strata commands (status, upgrade, verify, ...)
#include "models.hpp"

#include <strata/cli.hpp>

#include <algorithm>
#include <iostream>

namespace {

strata::cli::Config defaults()
{
    strata::cli::Config c;
    c.default_env = "lite";
    c.environments["lite"] = {{"app", "sqlite:soseki_lite.db"}, {"log", "sqlite:soseki_lite_log.db"}};
    c.environments["prod"] = {{"app", "postgresql://soseki@localhost/soseki"}, {"log", "postgresql://soseki@localhost/soseki_log"}};
    return c;
}

strata::Upgrader make_upgrader(const strata::cli::Environment& env)
{
    auto url = [&](const char* bind) {
        auto it = env.urls.find(bind);
        if (it == env.urls.end())
            throw strata::ConfigError(std::string("environment '") + env.name + "' has no URL for bind '" + bind + "'");
        return it->second;
    };
    strata::Upgrader up;
    auto app = up.bind("app", strata::defer_connect(url("app")), soseki::app_models());
    soseki::app_steps(app);
    auto log = up.bind("log", strata::defer_connect(url("log")), soseki::log_models());
    soseki::log_steps(log);
    return up;
}

// What Soseki does at every start, once its databases are at head.
int start(strata::Upgrader& up)
{
    auto report = up.run();
    for (const auto& b : report.binds)
        std::cout << "soseki: " << b.bind << " " << (b.action == strata::BindAction::up_to_date ? "up to date" : to_string(b.action)) << " at version "
                  << b.to << "\n";
    auto& app = up.database("app").session();
    app.insert(soseki::Audit{0, std::string("system"), std::string("START"), "application started", std::string("OK"), std::nullopt});
    auto& log = up.database("log").session();
    log.insert(soseki::Access{0, std::string("127.0.0.1"), std::string("GET"), std::string("/"), 3});
    std::cout << "soseki: " << app.scalar<std::int64_t>("SELECT count(*) FROM \"user\"") << " users, "
              << app.scalar<std::int64_t>("SELECT count(*) FROM \"audit\"") << " audit rows\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    // The words before "db" are the application's options (strata's global ones).
    auto db = std::find(args.begin(), args.end(), "db");
    std::vector<std::string> options(args.begin(), db);
    if (std::find(options.begin(), options.end(), "--help") != options.end() ||
        std::find(options.begin(), options.end(), "-h") != options.end()) {
        std::cout << "usage: soseki-demo [--env NAME] [--config FILE]      start: set up or upgrade both databases\n"
                     "       soseki-demo [--env NAME] db <command> ...    the strata commands (db --help lists them)\n";
        return 0;
    }
    if (db != args.end()) {
        options.insert(options.end(), db + 1, args.end());
        return strata::cli::run(options, make_upgrader, defaults(), "soseki-demo db");
    }
    try {
        auto up = make_upgrader(strata::cli::environment(options, defaults()));
        return start(up);
    } catch (const strata::Error& e) {
        std::cerr << "soseki-demo: " << e.what() << "\n";
        return strata::cli::exit_code(e);
    }
}
