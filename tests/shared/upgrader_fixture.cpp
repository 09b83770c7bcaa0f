// The engine-parametrised fixture of the upgrader, command-line and
// reliability tests, and the helpers they share.
#include "upgrader_suite.hpp"

namespace strata::test {

void UpgraderSuite::SetUp()
{
    if (GetParam() == Engine::postgresql) {
        STRATA_TEST_NEEDS_PG();
        server_url_ = std::getenv("STRATA_TEST_PG_URL");
    }
}

std::string UpgraderSuite::new_url()
{
    if (sqlite())
        return dir_.sqlite_url("db" + std::to_string(files_++) + ".db");
    schemas_.push_back(std::make_unique<PgSchema>(server_url_));
    return schemas_.back()->url();
}

std::string engine_name(const ::testing::TestParamInfo<Engine>& info)
{
    return info.param == Engine::sqlite ? "sqlite" : "postgresql";
}

RunOptions quiet()
{
    RunOptions o;
    o.snapshots = 0;
    o.lock_timeout = std::chrono::seconds(60);
    return o;
}

RunOptions replayed_to(long long version)
{
    auto o = quiet();
    o.replay = true;
    o.target = version;
    return o;
}

BindReport run_history(const std::string& url, RunOptions options, HistoryOptions history)
{
    Upgrader up;
    declare_history(up, "app", connect(url), history);
    return up.run("app", options);
}

std::map<long long, int> kinds_per_version(const std::string& url, StepKind kind)
{
    Upgrader up;
    declare_history(up, "app", connect(url));
    std::map<long long, int> out;
    for (const auto& e : up.history("app"))
        if (e.kind == kind)
            ++out[e.version];
    return out;
}

std::vector<std::string> worker_args(const std::string& url, std::vector<std::string> more)
{
    std::vector<std::string> args{"--url", url};
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

}  // namespace strata::test
