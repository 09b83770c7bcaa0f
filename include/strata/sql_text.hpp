// SqlText: SQL that may differ by dialect, for raw SQL in a step and for the
// bodies of views, functions and triggers.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace strata {

// One text for every dialect ("SELECT 1"), one per dialect by its name
// ({{"sqlite", "..."}, {"postgresql", "..."}}), or both: a dialect's own text
// wins over the shared one. A dialect with neither has no SQL here.
class SqlText {
public:
    SqlText() = default;
    SqlText(std::string every_dialect);       // NOLINT: implicit by design; "" is no SQL
    SqlText(const char* every_dialect);       // NOLINT
    SqlText(std::initializer_list<std::pair<const std::string, std::string>> by_dialect);  // NOLINT
    explicit SqlText(std::map<std::string, std::string> by_dialect) : texts_(std::move(by_dialect)) {}

    // Sets one dialect's text ("postgresql"); "" is the shared text.
    SqlText& on(std::string dialect, std::string sql);

    // The dialect's own text, else the shared one, else nothing.
    [[nodiscard]] const std::string* for_dialect(std::string_view dialect) const;
    [[nodiscard]] bool empty() const noexcept { return texts_.empty(); }
    // Every text by dialect name, "" for the shared one (checksums and JSON).
    [[nodiscard]] const std::map<std::string, std::string>& by_dialect() const noexcept { return texts_; }

    friend bool operator==(const SqlText&, const SqlText&) = default;

private:
    std::map<std::string, std::string> texts_;
};

}  // namespace strata
