// Small string helpers shared by the core and the backends.
#pragma once

#include "strata/types.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace strata::detail {

[[nodiscard]] std::string_view trim(std::string_view s) noexcept;
[[nodiscard]] std::string lower(std::string_view s);
[[nodiscard]] std::string upper(std::string_view s);
[[nodiscard]] bool iequals(std::string_view a, std::string_view b) noexcept;
[[nodiscard]] bool istarts_with(std::string_view s, std::string_view prefix) noexcept;
// Shortest text that reads back as the same double ("0.1", "1e+300", "2.0").
[[nodiscard]] std::string format_double(double d);
// 'it''s': SQL single quotes with doubled quote characters.
[[nodiscard]] std::string single_quoted(std::string_view s);
// An identifier in double quotes (doubled inside), as every engine reads it.
[[nodiscard]] std::string double_quoted(std::string_view s);
[[nodiscard]] std::string hex(const Blob& b);
[[nodiscard]] std::string join(const std::vector<std::string>& parts, std::string_view sep);
[[nodiscard]] std::vector<std::string> split(std::string_view s, char sep);
// Every run of whitespace as one space, trimmed: a statement quoted in one line of a message.
[[nodiscard]] std::string one_line(std::string_view s);
// FNV-1a, 64 bits: stable across platforms and releases (used in names and keys).
[[nodiscard]] std::uint64_t fnv1a64(std::string_view s) noexcept;
[[nodiscard]] std::string hex64(std::uint64_t v);

}  // namespace strata::detail
