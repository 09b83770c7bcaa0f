// Fuzz target: SQL-file migrations (`-- up` / `-- down` sections, markers,
// statements). A file strata cannot read is a ConfigError naming it.
#include "strata/errors.hpp"
#include "strata/sql_files.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        auto step = strata::parse_sql_migration("0001_fuzz.sql", text);
        (void)strata::checksum(step);
    } catch (const strata::ConfigError&) {
    }
    return 0;
}
