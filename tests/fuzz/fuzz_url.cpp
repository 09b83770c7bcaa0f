// Fuzz target: database URLs, which come from configuration files, the
// environment and the command line. Bad ones are a ConfigError; a password
// never shows in the masked form.
#include "strata/errors.hpp"
#include "strata/url.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        auto url = strata::Url::parse(text);
        const auto masked = url.masked();
        const bool shown = masked.find(":" + url.password + "@") != std::string::npos;
        if (!url.password.empty() && url.password != "***" && shown)
            std::abort();
        (void)url.unmasked();
        (void)strata::mask_passwords(text);
    } catch (const strata::ConfigError&) {
    }
    return 0;
}
