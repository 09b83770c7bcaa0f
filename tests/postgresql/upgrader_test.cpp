// The upgrader on the real PostgreSQL.
#include "upgrader_suite.hpp"

namespace strata::test {
INSTANTIATE_TEST_SUITE_P(Upgrader, UpgraderSuite, ::testing::Values(Engine::postgresql), engine_name);
INSTANTIATE_TEST_SUITE_P(ChainProperty, ChainPropertySuite, ::testing::Values(Engine::postgresql), engine_name);
INSTANTIATE_TEST_SUITE_P(NoSilentLoss, NoSilentLossSuite, ::testing::Values(Engine::postgresql), engine_name);
}
