// Fuzz target: the JSON configuration file (environments, binds, options).
// Whatever the text, the answer is a Config or a ConfigError naming the problem.
#include "strata/cli.hpp"
#include "strata/errors.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        (void)strata::cli::Config::parse(text, "fuzz.json");
    } catch (const strata::ConfigError&) {
    }
    return 0;
}
