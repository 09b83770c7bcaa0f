// SHA-256 (FIPS 180-4), for step checksums that stay the same across releases.
#pragma once

#include <string>
#include <string_view>

namespace strata::detail {

// Lower-case hex digest of the bytes.
// Uses the CPU's SHA instructions where there are some (x86 SHA-NI).
[[nodiscard]] std::string sha256_hex(std::string_view data);
// The same with the portable code only (tests compare the two).
[[nodiscard]] std::string sha256_hex_portable(std::string_view data);
[[nodiscard]] bool sha256_accelerated();

}  // namespace strata::detail
