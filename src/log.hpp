// The "strata" spdlog logger: one line per step, warnings, lock waits.
#pragma once

#include <spdlog/logger.h>

namespace strata::detail {

// The logger named "strata"; an application may register its own under that name
// first (sinks, level), otherwise one writing to stderr is created.
spdlog::logger& logger();

}  // namespace strata::detail
