// The reliability tests on the real PostgreSQL (STRATA_TEST_PG_URL).
#include "upgrader_suite.hpp"

namespace strata::test {
INSTANTIATE_TEST_SUITE_P(Reliability, ReliabilitySuite, ::testing::Values(Engine::postgresql), engine_name);
}  // namespace strata::test
