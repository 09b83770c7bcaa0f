// The shared SQL tokenizer, expression normalisation and statement splitter.
#include "sql_tokenizer.hpp"

#include <gtest/gtest.h>

using namespace strata::detail;

TEST(Tokenizer, QuotedIdentifiersAndStringsAreSingleTokens)
{
    auto t = tokenize(R"(SELECT "a""b", 'it''s', [x y], `z` FROM t -- comment)");
    ASSERT_EQ(t.size(), 10u);
    EXPECT_EQ(t[1].kind, TokenKind::quoted_identifier);
    EXPECT_EQ(unquote_identifier(t[1].text), "a\"b");
    EXPECT_EQ(t[3].kind, TokenKind::string);
    EXPECT_EQ(unquote_string(t[3].text), "it's");
    EXPECT_EQ(unquote_identifier(t[5].text), "x y");
    EXPECT_EQ(unquote_identifier(t[7].text), "z");
}

TEST(Tokenizer, DollarQuotesHoldSemicolonsAndQuotes)
{
    auto t = tokenize("CREATE FUNCTION f() AS $fn$ BEGIN; 'x'; END $fn$ LANGUAGE plpgsql");
    auto it = std::find_if(t.begin(), t.end(), [](const Token& k) { return k.text.starts_with("$fn$"); });
    ASSERT_NE(it, t.end());
    EXPECT_EQ(it->kind, TokenKind::string);
    EXPECT_EQ(unquote_string(it->text), " BEGIN; 'x'; END ");
}

TEST(Tokenizer, NumberedParameterIsNotADollarQuote)
{
    auto t = tokenize("SELECT $1, $2");
    ASSERT_EQ(t.size(), 4u);
    EXPECT_EQ(t[1].kind, TokenKind::parameter);
    EXPECT_EQ(t[1].text, "$1");
}

TEST(Tokenizer, EscapeStringKeepsBackslashQuote)
{
    auto t = tokenize(R"(SELECT E'a\'b', 1)");
    ASSERT_EQ(t.size(), 4u);
    EXPECT_EQ(unquote_string(t[1].text), "a'b");
}

TEST(Tokenizer, UnterminatedQuoteIsAnError)
{
    auto t = tokenize("SELECT 'open");
    ASSERT_FALSE(t.empty());
    EXPECT_EQ(t.back().kind, TokenKind::error);
}

TEST(Tokenizer, NestedCommentsWhenAsked)
{
    TokenizerOptions pg;
    pg.nested_comments = true;
    auto t = tokenize("/* a /* b */ c */ SELECT 1", pg);
    ASSERT_EQ(t.size(), 2u);
    EXPECT_TRUE(t[0].is_word("select"));
}

TEST(Tokenizer, CastOperatorIsNotAParameter)
{
    auto t = tokenize("x::text");
    ASSERT_EQ(t.size(), 3u);
    EXPECT_EQ(t[1].kind, TokenKind::op);
    EXPECT_EQ(t[1].text, "::");
}

TEST(Normalize, PostgresqlCastsAndParenthesesMatchTheModel)
{
    EXPECT_EQ(normalize_expression("((price > (0)::numeric))"), normalize_expression("price > 0"));
    EXPECT_EQ(normalize_expression("lower((email)::text)"), normalize_expression("lower(email)"));
    EXPECT_EQ(normalize_expression("(length((email)::text) > 3)"), normalize_expression("length(email) > 3"));
}

TEST(Normalize, AnyArrayIsIn)
{
    EXPECT_EQ(normalize_expression("((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))"),
              normalize_expression("\"status\" IN ('a', 'b')"));
}

TEST(Normalize, LikeOperatorAndQuotedIdentifiers)
{
    EXPECT_EQ(normalize_expression("(name ~~ 'a%'::text)"), normalize_expression("\"name\" LIKE 'a%'"));
}

TEST(Normalize, DifferentExpressionsStayDifferent)
{
    EXPECT_NE(normalize_expression("a + b"), normalize_expression("a - b"));
    EXPECT_NE(normalize_expression("\"Price\" > 0"), normalize_expression("price > 0"));
    EXPECT_NE(normalize_expression("x IN (1, 2)"), normalize_expression("x IN (1, 3)"));
}

TEST(Split, SemicolonsInsideQuotesCommentsAndDollarQuotesDoNotSplit)
{
    auto r = split_statements("INSERT INTO t VALUES ('a;b'); -- c;\n/* d; */ SELECT $$e;f$$; SELECT 1");
    ASSERT_TRUE(r.error.empty());
    ASSERT_EQ(r.statements.size(), 3u);
    EXPECT_EQ(r.statements[0].sql, "INSERT INTO t VALUES ('a;b')");
    EXPECT_EQ(r.statements[1].sql, "SELECT $$e;f$$");  // leading comments are not part of it
    EXPECT_EQ(r.statements[2].sql, "SELECT 1");
}

TEST(Split, TriggerBodyWithCaseStaysOneStatement)
{
    auto r = split_statements(
        "CREATE TRIGGER t AFTER INSERT ON x BEGIN UPDATE x SET a = CASE WHEN 1 THEN 2 ELSE 3 END; DELETE FROM y; END;\n"
        "SELECT 2;");
    ASSERT_TRUE(r.error.empty());
    ASSERT_EQ(r.statements.size(), 2u);
    EXPECT_TRUE(r.statements[0].sql.ends_with("END"));
    EXPECT_EQ(r.statements[1].sql, "SELECT 2");
}

TEST(Split, UnterminatedDollarQuoteReportsWhere)
{
    std::string sql = "SELECT 1;\nSELECT $$never closed";
    auto r = split_statements(sql);
    EXPECT_EQ(r.error, "unterminated dollar quote");
    EXPECT_EQ(line_of(sql, r.error_offset), 2u);
}


TEST(SqlTokenizer, FunctionArgumentsAsDropNamesThem)
{
    using strata::detail::function_arguments;
    EXPECT_EQ(function_arguments("CREATE OR REPLACE FUNCTION public.add_job(task text, payload json DEFAULT NULL::json, "
                                 "n numeric(10, 2) = 0, tags character varying(20)[] DEFAULT '{}')\n RETURNS bigint AS $$ "
                                 "SELECT 1 $$"),
              "(task text, payload json, n numeric(10, 2), tags character varying(20)[])");
    EXPECT_EQ(function_arguments("create procedure purge(older interval default '7 days') language sql as $$ $$"),
              "(older interval)");
    EXPECT_EQ(function_arguments("CREATE FUNCTION f(OUT n integer, INOUT \"Odd\" text) RETURNS record"),
              "(OUT n integer, INOUT \"Odd\" text)");
    EXPECT_EQ(function_arguments("create function touch() returns trigger"), "()");
    EXPECT_EQ(function_arguments("CREATE VIEW v AS SELECT 1"), std::nullopt);
}
