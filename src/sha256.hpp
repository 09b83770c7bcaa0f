// SHA-256 (FIPS 180-4), for step checksums that stay the same across releases.
#pragma once

#include <string>
#include <string_view>

namespace strata::detail {

// Lower-case hex digest of the bytes.
[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace strata::detail
