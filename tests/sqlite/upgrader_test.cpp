// The upgrader on a real SQLite file.
#include "upgrader_suite.hpp"

namespace strata::test {
INSTANTIATE_TEST_SUITE_P(Upgrader, UpgraderSuite, ::testing::Values(Engine::sqlite), engine_name);
INSTANTIATE_TEST_SUITE_P(ChainProperty, ChainPropertySuite, ::testing::Values(Engine::sqlite), engine_name);
INSTANTIATE_TEST_SUITE_P(NoSilentLoss, NoSilentLossSuite, ::testing::Values(Engine::sqlite), engine_name);
}
