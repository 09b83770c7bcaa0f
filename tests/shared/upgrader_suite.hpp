// The upgrader tests, one body per behaviour, run on a real SQLite file and on
// the real PostgreSQL (each test executable instantiates its own engine).
#pragma once

#include "test_support.hpp"

#include "strata/upgrader.hpp"

#include <memory>
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

std::string engine_name(const ::testing::TestParamInfo<Engine>& info);
inline void PrintTo(Engine e, std::ostream* os) { *os << (e == Engine::sqlite ? "sqlite" : "postgresql"); }

}  // namespace strata::test
