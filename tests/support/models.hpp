// Models used by several tests: every type and constraint, one feature per case.
#pragma once

#include "strata/schema.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace strata::test {

struct ModelCase {
    std::string name;
    std::function<Schema()> build;
    bool needs_own_database = false;  // PostgreSQL extensions are database-wide
};

// One case per feature: types, defaults, keys, foreign keys, checks, indexes,
// SQL objects, reserved and spaced names, comments, generated columns.
std::vector<ModelCase> model_cases();
// Every case's tables in one schema.
Schema every_feature_model();

// gtest prints the parameter by name, not as bytes.
inline void PrintTo(const ModelCase& c, std::ostream* os) { *os << c.name; }

// gtest parameter name
inline std::string case_name(const ::testing::TestParamInfo<ModelCase>& info) { return info.param.name; }

}  // namespace strata::test
