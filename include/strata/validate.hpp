// Model validation before any database is touched: every problem names the
// table, the column and what to change.
#pragma once

#include "strata/schema.hpp"

#include <string>
#include <vector>

namespace strata {

class Dialect;

// All problems of a bind's models: the portable rules, and the dialect's own
// when one is given. `other_binds` lets a foreign key into another bind's table
// be named as such.
[[nodiscard]] std::vector<std::string> model_problems(const Schema& schema, const Dialect* dialect = nullptr,
                                                      const std::vector<const Schema*>& other_binds = {});

// Throws ModelError listing every problem; does nothing for a valid model.
void validate(const Schema& schema, const Dialect* dialect = nullptr,
              const std::vector<const Schema*>& other_binds = {});

}  // namespace strata
