// The strata and soseki-demo binaries on the real PostgreSQL.
#include "upgrader_suite.hpp"

namespace strata::test {
INSTANTIATE_TEST_SUITE_P(Cli, CliSuite, ::testing::Values(Engine::postgresql), engine_name);
}
