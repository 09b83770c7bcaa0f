// SQL-file migrations: migrations/<bind>/NNNN_slug.sql, each with a `-- up` and an
// optional `-- down` section, read as steps of the upgrader.
#pragma once

#include "strata/upgrader.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace strata {

// The steps in one bind's directory, versions contiguous from 1. Throws
// ConfigError naming the file (and line) for an unparsable name, a gap, a
// duplicate, a missing `-- up`, an unterminated quote, comment or dollar quote,
// or a `-- strata: no-transaction` file with more than one statement.
[[nodiscard]] std::vector<Step> load_sql_steps(const std::filesystem::path& bind_directory);

// One migration file's text as a step: its number and description come from the
// file's name. Throws ConfigError naming the file and line, as load_sql_steps.
[[nodiscard]] Step parse_sql_migration(const std::filesystem::path& file, const std::string& text);

// Every bind under `root` (one subdirectory each), by bind name.
[[nodiscard]] std::map<std::string, std::vector<Step>> load_sql_migrations(const std::filesystem::path& root);

// Writes the next numbered file for `message` into `bind_directory` (created if
// missing) with empty `-- up` and `-- down` sections; returns its path.
std::filesystem::path create_sql_file(const std::filesystem::path& bind_directory, const std::string& message,
                                      const std::string& up_sql = {}, const std::string& down_sql = {});

}  // namespace strata
