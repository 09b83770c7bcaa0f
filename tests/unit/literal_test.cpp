// Reading defaults back from an engine's text.
#include "literal.hpp"

#include <gtest/gtest.h>

using namespace strata;
using strata::detail::parse_default;

TEST(Literal, PostgresqlCastsAreDropped)
{
    EXPECT_EQ(parse_default("'abc'::character varying", Type::varchar(10)), Default::literal(std::string("abc")));
    EXPECT_EQ(parse_default("'-1'::integer", Type::integer()), Default::literal(std::int64_t{-1}));
    EXPECT_EQ(parse_default("'-1.5'::double precision", Type::double_precision()), Default::literal(-1.5));
    EXPECT_EQ(parse_default("'{}'::jsonb", Type::json()), Default::literal(std::string("{}")));
}

TEST(Literal, NowInItsSpellings)
{
    for (const char* text : {"CURRENT_TIMESTAMP", "(CURRENT_TIMESTAMP)", "now()", "datetime('now')", "CURRENT_TIMESTAMP(6)"})
        EXPECT_EQ(parse_default(text, Type::timestamptz()), Default::now()) << text;
    EXPECT_EQ(parse_default("CURRENT_DATE", Type::date()), Default::current_date());
}

TEST(Literal, NumbersAndBooleans)
{
    EXPECT_EQ(parse_default("((0))", Type::integer()), Default::literal(std::int64_t{0}));
    EXPECT_EQ(parse_default("-1.5", Type::real()), Default::literal(-1.5));
    EXPECT_EQ(parse_default("1", Type::boolean()), Default::literal(true));
    EXPECT_EQ(parse_default("false", Type::boolean()), Default::literal(false));
    EXPECT_EQ(parse_default("'0'", Type::boolean()), Default::literal(false));
    // numeric is exact: a whole number stays whole, as written (DEFAULT 0, not 0.0).
    EXPECT_EQ(parse_default("0", Type::numeric(8, 2)), Default::literal(std::int64_t{0}));
    EXPECT_EQ(parse_default("4.99", Type::numeric(4, 2)), Default::literal(4.99));
    // SQLite's FALSE on an INTEGER column is the integer 0.
    EXPECT_EQ(parse_default("false", Type::integer()), Default::literal(std::int64_t{0}));
}

TEST(Literal, Blobs)
{
    Blob bytes{std::byte{0}, std::byte{0xff}};
    EXPECT_EQ(parse_default("X'00ff'", Type::blob()), Default::literal(bytes));
    EXPECT_EQ(parse_default("'\\x00ff'::bytea", Type::blob()), Default::literal(bytes));
}

TEST(Literal, NullIsNoDefault)
{
    EXPECT_EQ(parse_default("NULL", Type::text()), std::nullopt);
    EXPECT_EQ(parse_default("NULL::character varying", Type::text()), std::nullopt);
}

TEST(Literal, ACastOfACastIsAnExpressionNotTheLiteralInside)
{
    // ('now'::text)::date is today's date at each insert; 'now' as a literal
    // would be the date the table was made.
    auto d = parse_default("('now'::text)::date", Type::date());
    ASSERT_TRUE(d);
    EXPECT_EQ(d->kind, Default::Kind::expression);
    EXPECT_EQ(d->sql, "('now'::text)::date");
    EXPECT_EQ(parse_default("'x'::character varying", Type::varchar(5))->kind, Default::Kind::literal);
}

TEST(Literal, AnythingElseIsAnExpression)
{
    auto d = parse_default("lower('A'::text)", Type::text());
    ASSERT_TRUE(d);
    EXPECT_EQ(d->kind, Default::Kind::expression);
    EXPECT_EQ(d->sql, "lower('A'::text)");
    EXPECT_EQ(parse_default("(lower('A'))", Type::text())->sql, "lower('A')");
}

TEST(Literal, CoerceToTheColumnType)
{
    EXPECT_EQ(detail::coerce_literal(std::int64_t{5}, Type::text()), Value{std::string("5")});
    EXPECT_EQ(detail::coerce_literal(std::int64_t{1}, Type::boolean()), Value{true});
    EXPECT_EQ(detail::coerce_literal(std::int64_t{2}, Type::double_precision()), Value{2.0});
    EXPECT_EQ(detail::coerce_literal(std::string("x"), Type::integer()), Value{std::string("x")});
}
