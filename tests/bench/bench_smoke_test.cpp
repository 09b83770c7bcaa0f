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
    for (const auto& s : j["series"]) {
        ASSERT_TRUE(s.contains("points"));
        EXPECT_GE(s["points"].size(), 2u);
        for (const auto& p : s["points"])
            EXPECT_TRUE(p.contains("n") && p.contains("strata_ms") && p.contains("baseline_ms"));
    }
}

}  // namespace

TEST(BenchSmoke, SqliteCasesReportTheFixedShape)
{
    auto r = run_program(STRATA_BENCH_PATH, {"--quick", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    check_shape(nlohmann::json::parse(r.out), {{"introspect1000", "sqlite"}, {"diff1000", "sqlite"}});
}

class BenchSmokePg : public PgTest {};

TEST_F(BenchSmokePg, PostgresqlCasesReportTheFixedShape)
{
    auto r = run_program(STRATA_BENCH_PATH, {"--quick", "--json", "--pg", server_url_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    check_shape(nlohmann::json::parse(r.out), {{"introspect1000", "postgresql"}, {"diff1000", "postgresql"}});
}

TEST(BenchSmoke, UnknownArgumentIsAUsageError)
{
    auto r = run_program(STRATA_BENCH_PATH, {"--frobnicate"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unknown argument '--frobnicate'"), std::string::npos);
}
