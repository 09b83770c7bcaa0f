// Reading a live schema back into the model, and printing a schema as JSON, SQL
// or a Mermaid ER diagram (the `strata inspect` formats).
#pragma once

#include "strata/schema.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace strata {

class Dialect;
class Session;

// The live schema of the session's database, strata's own tables left out.
[[nodiscard]] Schema inspect(Session& session);
// Several databases at once, each on its own thread (each session is used by
// one thread only); the schemas in the sessions' order.
[[nodiscard]] std::vector<Schema> inspect_all(const std::vector<Session*>& sessions);

// {"format":"strata.inspect/1","tables":[...],"objects":[...]}: every field of the model.
[[nodiscard]] std::string to_json(const Schema& schema);
// Reads to_json()'s output back; throws ConfigError naming the bad field.
[[nodiscard]] Schema schema_from_json(std::string_view json);
// The DDL that recreates the schema on the dialect, statements ended by ';'.
[[nodiscard]] std::string to_sql(const Schema& schema, const Dialect& dialect);
// erDiagram with every table, its columns (PK, FK, UK markers) and its relations.
[[nodiscard]] std::string to_mermaid(const Schema& schema);

}  // namespace strata
