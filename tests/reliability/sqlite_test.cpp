// The reliability tests on a real SQLite file.
#include "upgrader_suite.hpp"

namespace strata::test {
INSTANTIATE_TEST_SUITE_P(Reliability, ReliabilitySuite, ::testing::Values(Engine::sqlite), engine_name);
}  // namespace strata::test
