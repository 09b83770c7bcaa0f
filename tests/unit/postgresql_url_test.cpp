// PostgreSQL URLs: the server form the PostgreSQL backend parses.
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

TEST(Url, PostgresqlFieldsArePercentDecoded)
{
    auto u = Url::parse("postgresql://app%20user:p%40ss@db.example:5433/app_db?schema=tenant1&connect_timeout=5");
    EXPECT_EQ(u.scheme, "postgresql");
    EXPECT_EQ(u.user, "app user");
    EXPECT_EQ(u.password, "p@ss");
    EXPECT_EQ(u.host, "db.example");
    EXPECT_EQ(u.port, 5433);
    EXPECT_EQ(u.database, "app_db");
    EXPECT_EQ(u.param("schema"), "tenant1");
    EXPECT_EQ(u.param("connect_timeout"), "5");
}

TEST(Url, PostgresAliasAndSocketHost)
{
    auto u = Url::parse("postgres://app@/app?host=/run/postgresql");
    EXPECT_EQ(u.scheme, "postgresql");
    EXPECT_EQ(u.param("host"), "/run/postgresql");
}

TEST(Url, MaskedHidesThePassword)
{
    auto u = Url::parse("postgresql://app:secret@db/app");
    EXPECT_EQ(u.masked(), "postgresql://app:***@db/app");
    EXPECT_EQ(u.masked().find("secret"), std::string::npos);
    EXPECT_NE(u.unmasked().find("secret"), std::string::npos);
}

TEST(Url, BadPortIsNamedWithoutThePassword)
{
    auto e = error_of("postgresql://app:secret@db:99999/app");
    EXPECT_NE(e.find("port '99999'"), std::string::npos) << e;
    EXPECT_EQ(e.find("secret"), std::string::npos) << e;
}

TEST(Url, Ipv6HostsAreBracketedAndNothingElseIs)
{
    auto u = Url::parse("postgresql://app:secret@[fe80::1%25eth0]:5433/app");
    EXPECT_EQ(u.host, "fe80::1%eth0");
    EXPECT_EQ(u.port, 5433);
    EXPECT_EQ(Url::parse(u.unmasked()).host, u.host);
    EXPECT_EQ(Url::parse("postgresql://[::1]/app").host, "::1");
    // A host that only looks like credentials must not carry a password's
    // text into the masked form (found by fuzz_url).
    auto e = error_of("postgresql://@pp:s3cr@pp:s3cr%40xl://ap");
    EXPECT_NE(e.find("the host holds ':', '@'"), std::string::npos) << e;
    EXPECT_NE(error_of("postgresql://u:p@[s3cr-x]/db").find("not an IPv6 address"), std::string::npos);
    EXPECT_NE(error_of("postgresql://u:p@[s3cr@x]/db").find("the host holds"), std::string::npos);
    EXPECT_NE(error_of("postgresql://u:p@a%3Ab/db").find("the host holds"), std::string::npos);
}

TEST(Url, BadConnectTimeoutIsRefused)
{
    EXPECT_NE(error_of("postgresql://h/db?connect_timeout=soon").find("connect_timeout"), std::string::npos);
}
