// The strata and soseki-demo binaries on a real SQLite file.
#include "upgrader_suite.hpp"

namespace strata::test {
INSTANTIATE_TEST_SUITE_P(Cli, CliSuite, ::testing::Values(Engine::sqlite), engine_name);
}
