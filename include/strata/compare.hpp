// compare(a, b): the structured differences between two schemas.
#pragma once

#include "strata/schema.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace strata {

enum class DiffObject { table, column, primary_key, unique, foreign_key, check, index, object, exclusion };
[[nodiscard]] const char* to_string(DiffObject object) noexcept;

struct Difference {
    enum class Kind { added, removed, changed };  // added: only in b; removed: only in a
    Kind kind = Kind::changed;
    DiffObject object = DiffObject::table;
    std::string table;      // the table (empty for SQL objects)
    std::string name;       // column, constraint, index or object name
    std::string field;      // for changed: "type", "nullable", "default", "columns", ...
    std::string old_value;  // in a
    std::string new_value;  // in b
    friend bool operator==(const Difference&, const Difference&) = default;
};
[[nodiscard]] const char* to_string(Difference::Kind kind) noexcept;

struct CompareOptions {
    // Compare view, trigger and function bodies. Engines that re-render them
    // (PostgreSQL) can only be compared with each other, not with the models.
    bool object_definitions = true;
    bool comments = true;
    std::vector<std::string> exclude_tables;  // strata_version is always left out
};

// Sorted by table, then object, then name: stable output for tests and CI.
[[nodiscard]] std::vector<Difference> compare(const Schema& a, const Schema& b, const CompareOptions& options = {});

// "table user: column email: type varchar(100) in database, varchar(255) in model"
[[nodiscard]] std::string to_text(const Difference& d, std::string_view a_label = "a", std::string_view b_label = "b");
// {"object":"column","kind":"changed","table":"user","name":"email","field":"type","old":..,"new":..}
[[nodiscard]] std::string to_json(const std::vector<Difference>& differences);

}  // namespace strata
