// Database URLs in SQLAlchemy's convention: what every backend shares.
#include "strata/database.hpp"
#include "strata/dialect.hpp"
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

TEST(Url, MissingSchemeShowsTheExpectedForms)
{
    auto e = error_of("just-a-file.db");
    EXPECT_NE(e.find("no scheme"), std::string::npos) << e;
    EXPECT_NE(e.find("expected "), std::string::npos) << e;
    for (const auto* d : strata::dialects())  // every backend's forms, in its own words
        EXPECT_NE(e.find(strata::mask_passwords(std::string(d->url_forms()))), std::string::npos) << e;
}

TEST(Url, UnknownSchemeIsNamed)
{
    auto e = error_of("mysql://h/db");
    EXPECT_NE(e.find("unknown scheme 'mysql'"), std::string::npos) << e;
    for (const auto* d : strata::dialects())
        EXPECT_NE(e.find(std::string(d->name())), std::string::npos) << e;
}
