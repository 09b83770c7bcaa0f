// The upgrader tests, one body per behaviour, run on a real SQLite file and on
// the real PostgreSQL (each test executable instantiates its own engine).
#pragma once

#include "history.hpp"
#include "test_support.hpp"

#include "strata/upgrader.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace strata::test {

enum class Engine { sqlite, postgresql };

class UpgraderSuite : public ::testing::TestWithParam<Engine> {
protected:
    void SetUp() override;
    // An empty database of the engine (a SQLite file, or a PostgreSQL schema of its own).
    std::string new_url();
    [[nodiscard]] bool sqlite() const { return GetParam() == Engine::sqlite; }

    TempDir dir_;

private:
    std::string server_url_;
    std::vector<std::unique_ptr<PgSchema>> schemas_;
    int files_ = 0;
};

// Concurrency and crash tests (label `reliability`), on the same fixture.
class ReliabilitySuite : public UpgraderSuite {
protected:
    // How a crash trial ends its worker: by the worker's own failpoint (args),
    // or by SIGKILL from the test `after` the spawn.
    struct KillTrial {
        std::vector<std::string> args;
        std::optional<std::chrono::microseconds> after;
    };
    void crash_after_every_statement(bool fresh, int& points);
    void crash_trials(bool fresh, int& points, const std::function<std::optional<KillTrial>(long long)>& next);
};

// Steps that follow schema changes strata did not make, and run exactly once.
class NoSilentLossSuite : public UpgraderSuite {};
// Seeded random chains run three ways.
class ChainPropertySuite : public UpgraderSuite {};

// Options for test runs: no backups, a generous lock wait.
RunOptions quiet();
// quiet(), replaying the chain from empty up to version.
RunOptions replayed_to(long long version);
// Runs the test history (support/history.hpp) on the bind `app` at url.
BindReport run_history(const std::string& url, RunOptions options = quiet(), HistoryOptions history = {});
// How many strata_version rows of the kind each version has.
std::map<long long, int> kinds_per_version(const std::string& url, StepKind kind);
// Arguments of strata-test-worker for url.
std::vector<std::string> worker_args(const std::string& url, std::vector<std::string> more = {});

// The command-line tests: SQL-file migrations in a temporary directory, run
// through the real binaries.
class CliSuite : public UpgraderSuite {
protected:
    void SetUp() override
    {
        UpgraderSuite::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        dir_path_ = (dir_.path() / "migrations").string();
        std::filesystem::create_directories(std::filesystem::path(dir_path_) / "app");
        write("0001_users.sql", "-- the first table\n-- up\nCREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE);\n"
                                "-- down\nDROP TABLE users;\n");
        write("0002_add_name.sql", "-- up\nALTER TABLE users ADD COLUMN name TEXT;\n"
                                   "INSERT INTO users (id, email, name) VALUES (1, 'a@example.org', 'Ann; with a semicolon');\n"
                                   "-- down\nDELETE FROM users WHERE id = 1;\nALTER TABLE users DROP COLUMN name;\n");
        write("0003_orders.sql", "-- up\nCREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), "
                                 "total NUMERIC(10,2) DEFAULT 0);\nCREATE INDEX ix_orders_user ON orders (user_id);\n"
                                 "-- down\nDROP TABLE orders;\n");
        write("0004_view.sql", "-- up\nCREATE VIEW named_users AS SELECT id, name FROM users WHERE name IS NOT NULL;\n"
                               "-- down\nDROP VIEW named_users;\n");
        write("0005_audit.sql", "-- up\nCREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT);\n");
        url_ = new_url();
    }

    void write(const std::string& file, const std::string& text)
    {
        std::ofstream(std::filesystem::path(dir_path_) / "app" / file) << text;
    }

    CommandResult strata(std::vector<std::string> args, const std::string& url = {})
    {
        std::vector<std::string> all{"--dir", dir_path_, "--bind", "app=" + (url.empty() ? url_ : url)};
        all.insert(all.end(), args.begin(), args.end());
        return run_cli(all);
    }

    nlohmann::json json_of(const CommandResult& r)
    {
        EXPECT_EQ(r.exit_code, 0) << r.err;
        try {
            return nlohmann::json::parse(r.out);
        } catch (const std::exception& e) {
            ADD_FAILURE() << "not JSON: " << r.out << " (" << e.what() << ")";
            return {};
        }
    }

    long long current()
    {
        auto j = json_of(strata({"--json", "status"}));
        return j["binds"][0]["current"].get<long long>();
    }

    std::string dir_path_;
    std::string url_;
};


std::string engine_name(const ::testing::TestParamInfo<Engine>& info);
inline void PrintTo(Engine e, std::ostream* os) { *os << (e == Engine::sqlite ? "sqlite" : "postgresql"); }

}  // namespace strata::test
