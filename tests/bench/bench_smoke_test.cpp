// strata-bench --quick --json runs and reports every case in the fixed shape
// (a smoke test: no timing is asserted).
#include "test_support.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <set>

using namespace strata::test;

namespace {

void check_shape(const nlohmann::json& j, const std::set<std::pair<std::string, std::string>>& expected)
{
    ASSERT_TRUE(j.contains("cases"));
    ASSERT_TRUE(j.contains("peak_rss_mb"));
    EXPECT_GT(j["peak_rss_mb"].get<double>(), 0.0);
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& c : j["cases"]) {
        for (const char* field : {"name", "dialect", "strata_ms", "baseline_ms", "ratio"})
            ASSERT_TRUE(c.contains(field)) << c.dump();
        EXPECT_GT(c["strata_ms"].get<double>(), 0.0) << c.dump();
        EXPECT_GT(c["baseline_ms"].get<double>(), 0.0) << c.dump();
        EXPECT_NEAR(c["ratio"].get<double>(), c["strata_ms"].get<double>() / c["baseline_ms"].get<double>(), 1e-9);
        seen.insert({c["name"].get<std::string>(), c["dialect"].get<std::string>()});
    }
    for (const auto& e : expected)
        EXPECT_TRUE(seen.count(e)) << e.first << " on " << e.second << " missing";
    ASSERT_TRUE(j.contains("series"));
    ASSERT_TRUE(j.contains("series_peak_rss_mb"));
    EXPECT_GE(j["series_peak_rss_mb"].get<double>(), j["peak_rss_mb"].get<double>());
    std::set<std::pair<std::string, std::string>> series;
    for (const auto& s : j["series"]) {
        series.insert({s["name"].get<std::string>(), s["dialect"].get<std::string>()});
        ASSERT_TRUE(s.contains("points"));
        EXPECT_GE(s["points"].size(), 2u);
        for (const auto& p : s["points"])
            EXPECT_TRUE(p.contains("n") && p.contains("strata_ms") && p.contains("baseline_ms"));
        // Growth series grow: each point is larger than the one before.
        for (std::size_t i = 1; i < s["points"].size(); ++i)
            EXPECT_GT(s["points"][i]["n"].get<int>(), s["points"][i - 1]["n"].get<int>());
    }
    const auto dialect = expected.begin()->second;
    EXPECT_TRUE(series.count({"chain", dialect})) << "no chain series on " << dialect;
    if (dialect == "sqlite") {
        EXPECT_TRUE(series.count({"introspect", "sqlite"}));
    }
}

}  // namespace

TEST(BenchSmoke, SqliteCasesReportTheFixedShape)
{
    auto r = run_program(STRATA_BENCH_PATH, {"--quick", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    check_shape(nlohmann::json::parse(r.out),
                {{"chain300", "sqlite"}, {"chain300_atomic", "sqlite"}, {"fresh100", "sqlite"}, {"noop_startup", "sqlite"},
                 {"rebuild1m", "sqlite"}, {"rebuild1m_progress", "sqlite"}, {"backup1m", "sqlite"}, {"introspect1000", "sqlite"}, {"diff1000", "sqlite"},
                 {"chain300_files", "sqlite"}, {"noop_files", "sqlite"}});
}

class BenchSmokePg : public PgTest {};

TEST_F(BenchSmokePg, PostgresqlCasesReportTheFixedShape)
{
    auto r = run_program(STRATA_BENCH_PATH, {"--quick", "--json", "--pg", server_url_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    check_shape(nlohmann::json::parse(r.out),
                {{"chain300", "postgresql"}, {"chain300_atomic", "postgresql"}, {"fresh100", "postgresql"},
                 {"noop_startup", "postgresql"}, {"introspect1000", "postgresql"}, {"diff1000", "postgresql"},
                 {"chain300_files", "postgresql"}, {"noop_files", "postgresql"}, {"online1m", "postgresql"},
                 {"online1m_locked", "postgresql"}, {"fleet1000", "postgresql"}});
}

TEST(BenchSmoke, OneCaseAtATime)
{
    auto r = run_program(STRATA_BENCH_PATH, {"--quick", "--json", "--no-series", "--case", "noop_startup"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["cases"].size(), 1u);
    EXPECT_EQ(j["cases"][0]["name"], "noop_startup");
    EXPECT_TRUE(j["series"].empty());
    EXPECT_FALSE(j.contains("series_peak_rss_mb"));
}

TEST(BenchSmoke, UnknownArgumentIsAUsageError)
{
    auto r = run_program(STRATA_BENCH_PATH, {"--frobnicate"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unknown argument '--frobnicate'"), std::string::npos);
    r = run_program(STRATA_BENCH_PATH, {"--case", "chain30"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unknown case 'chain30'"), std::string::npos);
}
