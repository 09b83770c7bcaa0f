// soseki-demo: Soseki's two databases on strata.
//   soseki-demo [--env NAME] [--config FILE]        start the application: set up or upgrade both binds
//   soseki-demo [--env NAME] db <command> ...       the strata commands (status, upgrade, verify, ...)
#include "models.hpp"

#include <strata/cli.hpp>

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
    strata::Upgrader up;
    auto app = up.bind("app", strata::defer_connect(env.url("app")), soseki::app_models());
    soseki::app_steps(app);
    auto log = up.bind("log", strata::defer_connect(env.url("log")), soseki::log_models());
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
    return strata::cli::app_main(argc, argv, make_upgrader, defaults(), start);
}
