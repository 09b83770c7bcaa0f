// Portable types, values and the C++ member mapping.
#include "strata/errors.hpp"
#include "strata/types.hpp"

#include <gtest/gtest.h>

using namespace strata;

TEST(Types, PortableSpellingRoundTrips)
{
    const Type all[] = {Type::smallint(), Type::integer(), Type::bigint(), Type::boolean(), Type::real(),
                        Type::double_precision(), Type::numeric(), Type::numeric(10, 2), Type::text(),
                        Type::varchar(), Type::varchar(80), Type::blob(), Type::timestamp(), Type::timestamptz(),
                        Type::date(), Type::json(), Type::uuid(), Type::enumeration("mood"), Type::custom("inet")};
    for (const auto& t : all) {
        auto back = parse_type(to_string(t));
        ASSERT_TRUE(back) << to_string(t);
        EXPECT_EQ(*back, t) << to_string(t);
    }
}

TEST(Types, UnknownSpellingIsNotAType)
{
    EXPECT_FALSE(parse_type("varchar(abc)"));
    EXPECT_FALSE(parse_type("integer(4)"));
    EXPECT_FALSE(parse_type("strange"));
}

TEST(Types, MemberTypesMapToColumnTypes)
{
    EXPECT_EQ(column_traits<std::int16_t>::type(), Type::smallint());
    EXPECT_EQ(column_traits<std::int32_t>::type(), Type::integer());
    EXPECT_EQ(column_traits<std::int64_t>::type(), Type::bigint());
    EXPECT_EQ(column_traits<std::optional<std::string>>::type(), Type::text());
    EXPECT_EQ(column_traits<Timestamp>::type(), Type::timestamptz());
    EXPECT_TRUE(is_nullable_member_v<std::optional<int>>);
    EXPECT_FALSE(is_nullable_member_v<int>);
}

TEST(Types, TimestampParsesOffsetsToUtc)
{
    auto t = Timestamp::parse("2024-02-29 13:45:01.5+02:00");
    EXPECT_EQ(t.to_string(), "2024-02-29 11:45:01.500000");
    EXPECT_EQ(Timestamp::parse("2024-02-29T11:45:01.5Z"), t);
    EXPECT_EQ(Timestamp::parse("2024-01-01 00:00:00+00").to_string(), "2024-01-01 00:00:00");
}

TEST(Types, InvalidDateIsRefused)
{
    EXPECT_THROW((void)Date::parse("2023-02-30"), Error);
    EXPECT_THROW((void)Date::parse("yesterday"), Error);
    EXPECT_EQ(Date::parse("2023-02-28").to_string(), "2023-02-28");
}

TEST(Types, ValueConversions)
{
    EXPECT_EQ(value_traits<bool>::from(Value{std::string("t")}), true);
    EXPECT_EQ(value_traits<std::int32_t>::from(Value{std::string("42")}), 42);
    EXPECT_EQ(value_traits<std::optional<std::string>>::from(Value{}), std::nullopt);
    EXPECT_THROW((void)value_traits<std::int64_t>::from(Value{std::string("x")}), Error);
    EXPECT_EQ(to_display(Value{std::string("it's")}), "'it''s'");
    EXPECT_EQ(to_display(Value{2.0}), "2.0");
}
