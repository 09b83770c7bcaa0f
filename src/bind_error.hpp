// Errors restated to name the bind they happened to.
#pragma once

#include "strata/errors.hpp"

#include <string>

namespace strata::detail {

// "bind 'app': " + what happened (`doing`, when given, says during what), with
// the bind in the context; the kind and the rest of the context kept.
[[nodiscard]] DatabaseError naming_bind(const DatabaseError& e, const std::string& bind, const std::string& doing = {});

}  // namespace strata::detail
