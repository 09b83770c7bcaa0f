// SQLite URLs (SQLAlchemy's forms): sqlite:relative.db, sqlite:///relative.db,
// sqlite:////absolute.db, sqlite::memory:, with ?mode=ro|rw|rwc.
#include "sqlite_dialect.hpp"
#include "url_parts.hpp"

namespace strata::sqlite {

namespace {
constexpr std::string_view forms =
    "sqlite:relative.db, sqlite:///relative.db, sqlite:////absolute/path.db, sqlite::memory:";
}

std::span<const std::string_view> SqliteDialect::url_schemes() const noexcept
{
    static constexpr std::string_view schemes[] = {"sqlite", "sqlite3"};
    return schemes;
}

std::string_view SqliteDialect::url_forms() const noexcept
{
    return forms;
}

void SqliteDialect::complete_url(Url& url, std::string_view rest, const std::string& text) const
{
    if (rest == ":memory:" || rest == "//" || rest == "///:memory:")
        url.memory = true;
    else if (rest.starts_with("///"))
        url.path = rest.substr(3);  // "////abs" leaves "/abs"
    else if (rest.starts_with("//"))
        detail::bad_url(text, "a SQLite URL has no host part", forms);
    else
        url.path = rest;
    if (!url.memory && url.path.empty())
        detail::bad_url(text, "no file name", forms);
    if (auto mode = url.param("mode"); !mode.empty() && mode != "ro" && mode != "rw" && mode != "rwc")
        detail::bad_url(text, "mode must be ro, rw or rwc, not '" + mode + "'", forms);
}

}  // namespace strata::sqlite
