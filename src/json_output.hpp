// nlohmann::json forms of strata's values, kept out of the public headers.
#pragma once

#include "strata/compare.hpp"
#include "strata/schema.hpp"

#include <nlohmann/json.hpp>

namespace strata::detail {

// The name of a foreign-key action in JSON and in step checksums (both stored: never change one).
const char* action_name(FkAction action);
nlohmann::json value_json(const Value& v);
Value value_from_json(const nlohmann::json& j);
nlohmann::json column_json(const Column& column);
nlohmann::json foreign_key_json(const ForeignKey& foreign_key);
nlohmann::json index_json(const Index& index);
nlohmann::json table_json(const Table& table);
nlohmann::json object_json(const SqlObject& object);
nlohmann::json schema_json(const Schema& schema);
Schema schema_from_json(const nlohmann::json& j);
nlohmann::json differences_json(const std::vector<Difference>& differences);

// Text of j; names read from a database may hold bytes that are not UTF-8,
// which print as U+FFFD instead of failing the whole output.
std::string dump_json(const nlohmann::json& j, int indent = -1);

}  // namespace strata::detail
