// SqlText: one text for every dialect, one per dialect, or both.
#include "strata/sql_text.hpp"
#include "strata/step.hpp"

#include <gtest/gtest.h>

using namespace strata;

TEST(SqlText, ADialectsOwnTextWinsOverTheSharedOne)
{
    SqlText text = SqlText("SELECT 1").on("postgresql", "SELECT 2");
    ASSERT_NE(text.for_dialect("sqlite"), nullptr);
    EXPECT_EQ(*text.for_dialect("sqlite"), "SELECT 1");
    EXPECT_EQ(*text.for_dialect("postgresql"), "SELECT 2");
}

TEST(SqlText, ADialectWithNeitherHasNoSql)
{
    SqlText text{{"postgresql", "CREATE EXTENSION citext"}};
    EXPECT_EQ(text.for_dialect("sqlite"), nullptr);
    EXPECT_NE(text.for_dialect("postgresql"), nullptr);
    EXPECT_TRUE(SqlText("").empty());
    EXPECT_TRUE(SqlText().empty());
    // An explicit empty text is a text (an extension reads back with an empty body).
    EXPECT_NE(SqlText().on("postgresql", "").for_dialect("postgresql"), nullptr);
}

TEST(SqlText, EverySpellingOfTheSameSqlHasTheSameChecksum)
{
    auto checksum_of = [](SqlText sql, SqlText down) {
        Step step;
        step.version = 1;
        step.ops = Ops().execute(std::move(sql), std::move(down)).ops();
        return checksum(step);
    };
    const auto shared = checksum_of("UPDATE t SET a = 1", "UPDATE t SET a = 0");
    EXPECT_EQ(shared, checksum_of(std::string("UPDATE t SET a = 1"), std::string("UPDATE t SET a = 0")));
    EXPECT_EQ(shared, checksum_of({{"", "UPDATE t SET a = 1"}}, {{"", "UPDATE t SET a = 0"}}));
    EXPECT_EQ(shared, checksum_of(SqlText().on("", "UPDATE t SET a = 1"), SqlText().on("", "UPDATE t SET a = 0")));
    EXPECT_NE(shared, checksum_of(SqlText("UPDATE t SET a = 1").on("postgresql", "UPDATE t SET a = 2"),
                                  "UPDATE t SET a = 0"));
    EXPECT_NE(shared, checksum_of("UPDATE t SET a = 1", {}));
}
