// Literal values in defaults: fitting a value to a column type, and reading a
// default clause back from an engine's text.
#pragma once

#include "strata/schema.hpp"

#include <optional>
#include <string_view>

namespace strata::detail {

// The value as the column type stores it: 1 -> true for boolean, 0 -> 0.0 for
// double, 5 -> "5" for text, '\x00ff' -> bytes for blob. Values that do not fit
// are returned unchanged (validation reports them).
[[nodiscard]] Value coerce_literal(const Value& value, const Type& type);

// Whether a literal fits the type (after coerce_literal); the reason when not.
[[nodiscard]] std::optional<std::string> literal_misfit(const Value& value, const Type& type);

// A default as an engine prints it ("'x'::character varying", "(CURRENT_TIMESTAMP)",
// "-1", "nextval(...)") read back into the model; nullopt for DEFAULT NULL.
[[nodiscard]] std::optional<Default> parse_default(std::string_view text, const Type& type);

}  // namespace strata::detail
