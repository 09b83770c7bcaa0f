// The "strata" spdlog logger.
#include "log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>

namespace strata::detail {

spdlog::logger& logger()
{
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    if (auto existing = spdlog::get("strata"))
        return *existing;
    auto created = spdlog::stderr_color_mt("strata");
    created->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ strata: %v");
    return *created;
}

}  // namespace strata::detail
