// When two schema objects are the same: the one set of rules shared by compare
// and check (which report each differing field) and autogenerate (which turns
// any difference into an op). Text that engines re-render (expressions, type
// names, bodies) is compared by its tokens; numbers by value.
#pragma once

#include "strata/schema.hpp"

#include <string>
#include <vector>

namespace strata::detail {

struct FieldChange {
    std::string field;  // "type", "default", "columns", ...
    std::string old_value;
    std::string new_value;
};
using FieldChanges = std::vector<FieldChange>;

struct Equivalence {
    bool comments = true;
    // View, trigger and function bodies (PostgreSQL re-renders them, so a live
    // body only compares with another live body).
    bool object_definitions = true;
};

[[nodiscard]] FieldChanges column_changes(const Column& a, const Column& b, const Equivalence& e = {});
[[nodiscard]] FieldChanges primary_key_changes(const PrimaryKey& a, const PrimaryKey& b, const Equivalence& e = {});
[[nodiscard]] FieldChanges unique_changes(const UniqueConstraint& a, const UniqueConstraint& b, const Equivalence& e = {});
[[nodiscard]] FieldChanges foreign_key_changes(const ForeignKey& a, const ForeignKey& b, const Equivalence& e = {});
[[nodiscard]] FieldChanges check_changes(const CheckConstraint& a, const CheckConstraint& b, const Equivalence& e = {});
[[nodiscard]] FieldChanges index_changes(const Index& a, const Index& b, const Equivalence& e = {});
[[nodiscard]] FieldChanges exclusion_changes(const ExclusionConstraint& a, const ExclusionConstraint& b,
                                             const Equivalence& e = {});
[[nodiscard]] FieldChanges object_changes(const SqlObject& a, const SqlObject& b, const Equivalence& e = {});

// What pairs two of a kind when names may differ or be missing.
[[nodiscard]] std::string unique_key(const UniqueConstraint& u);      // "(a, b)"
[[nodiscard]] std::string foreign_key_key(const ForeignKey& fk);      // "(a) -> t(id)"
[[nodiscard]] std::string check_key(const CheckConstraint& c);        // the expression's tokens
[[nodiscard]] std::string object_key(const SqlObject& o);             // "trigger t_audit on t", "function f(integer)"
// Two checks pair when their names agree (or one has none) and their expressions do.
[[nodiscard]] bool same_check(const CheckConstraint& a, const CheckConstraint& b, const Equivalence& e = {});

// "(a, b)"
[[nodiscard]] std::string parenthesised(const std::vector<std::string>& v);

}  // namespace strata::detail
