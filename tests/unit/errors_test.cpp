// strata::Error: codes, context and password masking.
#include "strata/cli.hpp"
#include "strata/errors.hpp"

#include <gtest/gtest.h>

using namespace strata;

TEST(Errors, MaskPasswordsInUrls)
{
    EXPECT_EQ(mask_passwords("cannot reach postgresql://app:s3cret@db:5432/x now"),
              "cannot reach postgresql://app:***@db:5432/x now");
}

TEST(Errors, MaskPasswordsInKeywordForm)
{
    EXPECT_EQ(mask_passwords("host=db password=s3cret user=app"), "host=db password=*** user=app");
    EXPECT_EQ(mask_passwords("password='a b'"), "password=***");
    EXPECT_EQ(mask_passwords("PASSWORD = s3cret&sslmode=require"), "PASSWORD = ***&sslmode=require");
    EXPECT_EQ(mask_passwords("password='unterminated x"), "password=*** x");
    EXPECT_EQ(mask_passwords("user=app passwordless=1 password="), "user=app passwordless=1 password=");
}

TEST(Errors, WhatCarriesTheContext)
{
    ErrorContext c;
    c.bind = "app";
    c.version = 7;
    c.description = "add column";
    c.sql = "ALTER TABLE x";
    c.sqlstate = "42P01";
    Error e(ErrorCode::database_error, "failed", c);
    std::string w = e.what();
    EXPECT_NE(w.find("bind: app"), std::string::npos);
    EXPECT_NE(w.find("version: 7"), std::string::npos);
    EXPECT_NE(w.find("step: add column"), std::string::npos);
    EXPECT_NE(w.find("sqlstate: 42P01"), std::string::npos);
    EXPECT_NE(w.find("sql: ALTER TABLE x"), std::string::npos);
    EXPECT_EQ(e.message(), "failed");
}

TEST(Errors, PasswordInMessageOrSqlIsMaskedWhenBuilt)
{
    ErrorContext c;
    c.sql = "-- postgresql://u:topsecret@h/d";
    Error e(ErrorCode::connection_failed, "cannot connect to postgresql://u:topsecret@h/d", c);
    EXPECT_EQ(std::string(e.what()).find("topsecret"), std::string::npos);
    EXPECT_EQ(e.context().sql.find("topsecret"), std::string::npos);
}

TEST(Errors, DatabaseErrorKindsMapToCodes)
{
    EXPECT_EQ(DatabaseError(DatabaseErrorKind::in_doubt, "x").code(), ErrorCode::in_doubt);
    EXPECT_EQ(DatabaseError(DatabaseErrorKind::connection, "x").code(), ErrorCode::connection_failed);
    EXPECT_EQ(DatabaseError(DatabaseErrorKind::lock_timeout, "x").code(), ErrorCode::lock_timeout);
    EXPECT_EQ(DatabaseError(DatabaseErrorKind::constraint, "x").code(), ErrorCode::database_error);
}

// The option's name before 0.2 is refused with the list that has its new name.
TEST(Config, SnapshotsAreAnOptionAndTheirOldNameIsRefused)
{
    auto now = strata::cli::Config::parse(R"({"options": {"snapshots": 5}})", "now.json");
    EXPECT_EQ(now.snapshots, 5);
    try {
        (void)strata::cli::Config::parse(R"({"options": {"sqlite_backups": 2}})", "before.json");
        ADD_FAILURE() << "the old name was taken";
    } catch (const strata::ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("snapshots: count >= 0"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)strata::cli::Config::parse(R"({"options": {"snapshots": -1}})", "bad.json"), strata::ConfigError);
}
