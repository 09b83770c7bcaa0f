// SQLite URLs: the forms the SQLite backend parses.
#include "strata/errors.hpp"
#include "strata/url.hpp"

#include <gtest/gtest.h>

using strata::ConfigError;
using strata::Url;

namespace {
std::string error_of(const std::string& url)
{
    try {
        (void)Url::parse(url);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "no error";
}
}  // namespace

TEST(Url, SqliteRelativePathForms)
{
    EXPECT_EQ(Url::parse("sqlite:data/app.db").path, "data/app.db");
    EXPECT_EQ(Url::parse("sqlite:///data/app.db").path, "data/app.db");
}

TEST(Url, SqliteAbsolutePath)
{
    auto u = Url::parse("sqlite:////var/lib/app.db");
    EXPECT_EQ(u.scheme, "sqlite");
    EXPECT_EQ(u.path, "/var/lib/app.db");
    EXPECT_EQ(u.masked(), "sqlite:////var/lib/app.db");
}

TEST(Url, SqliteMemoryAndReadOnly)
{
    EXPECT_TRUE(Url::parse("sqlite::memory:").memory);
    EXPECT_TRUE(Url::parse("sqlite:app.db?mode=ro").read_only());
    EXPECT_FALSE(Url::parse("sqlite:app.db").read_only());
}

TEST(Url, SqliteWithHostIsRefused)
{
    EXPECT_NE(error_of("sqlite://host/app.db").find("no host"), std::string::npos);
}

TEST(Url, BadModeIsRefused)
{
    EXPECT_NE(error_of("sqlite:app.db?mode=fast").find("mode must be ro, rw or rwc"), std::string::npos);
}
