// Model validation: each problem names the table, the column and the fix.
#include "strata/database.hpp"
#include "test_support.hpp"
#include "strata/errors.hpp"
#include "strata/validate.hpp"

#include <gtest/gtest.h>

using namespace strata;

namespace {

std::string problems_of(const Schema& s, const char* dialect = nullptr, const std::vector<const Schema*>& others = {})
{
    std::string out;
    for (const auto& p : model_problems(s, dialect ? find_dialect(dialect) : nullptr, others))
        out += p + "\n";
    return out;
}

Schema with_user()
{
    Schema s("app");
    s.table("user").column<std::int64_t>("id").primary_key().column<std::string>("email");
    return s;
}

}  // namespace

TEST(Validate, ValidModelHasNoProblems)
{
    auto s = with_user();
    s.table("job").column<std::int64_t>("id").primary_key().column<std::int64_t>("user_id").references("user");
    EXPECT_EQ(problems_of(s, "sqlite"), "");
    EXPECT_EQ(problems_of(s, "postgresql"), "");
    EXPECT_NO_THROW(validate(s, find_dialect("postgresql")));
}

TEST(Validate, DuplicateTable)
{
    auto s = with_user();
    s.table("user").column<std::int64_t>("id");
    EXPECT_NE(problems_of(s).find("table 'user' is declared twice"), std::string::npos);
}

TEST(Validate, EmptyNames)
{
    Schema s;
    s.table("").column<std::int64_t>("id");
    s.table("t").column<std::int64_t>("");
    auto p = problems_of(s);
    EXPECT_NE(p.find("a table has an empty name"), std::string::npos) << p;
    EXPECT_NE(p.find("table 't': a column has an empty name"), std::string::npos) << p;
}

TEST(Validate, DuplicateColumn)
{
    auto s = with_user();
    s.tables[0].columns.push_back(s.tables[0].columns[1]);
    EXPECT_NE(problems_of(s).find("table 'user': column 'email' is declared twice"), std::string::npos);
}

TEST(Validate, UnknownColumnInKeyAndIndex)
{
    auto s = with_user();
    s.tables[0].primary_key->columns.push_back("tenant");
    s.tables[0].indexes.push_back(Index{"ix_user_mail", {IndexElement("mail")}});
    auto p = problems_of(s);
    EXPECT_NE(p.find("table 'user': primary key 'pk_user' names column 'tenant', which the table does not have"),
              std::string::npos) << p;
    EXPECT_NE(p.find("index 'ix_user_mail' names column 'mail'"), std::string::npos) << p;
}

TEST(Validate, ForeignKeyToUnknownTable)
{
    Schema s("app");
    s.table("job").column<std::int64_t>("owner_id").references("owner");
    EXPECT_NE(problems_of(s).find("references table 'owner', which this bind does not declare"), std::string::npos);
}

TEST(Validate, ForeignKeyToAnotherBindIsNamedAsSuch)
{
    auto app = with_user();
    Schema log("log");
    log.table("access").column<std::int64_t>("user_id").references("user");
    auto p = problems_of(log, nullptr, {&app, &log});
    EXPECT_NE(p.find("references table 'user' of bind 'app'; a foreign key cannot cross databases"), std::string::npos)
        << p;
}

TEST(Validate, ForeignKeyTypeMismatch)
{
    auto s = with_user();
    s.table("job").column<std::int32_t>("user_id").references("user");
    auto p = problems_of(s);
    EXPECT_NE(p.find("table 'job': column 'user_id': foreign key 'fk_job_user_id_user' pairs type integer with "
                     "bigint of user.id"),
              std::string::npos) << p;
}

TEST(Validate, ForeignKeyMustReferenceAKey)
{
    auto s = with_user();
    s.table("job").column<std::string>("email").references("user", "email");
    EXPECT_NE(problems_of(s).find("which is neither its primary key nor unique"), std::string::npos);
}

TEST(Validate, SetNullOnNotNullColumn)
{
    auto s = with_user();
    s.table("job").column<std::int64_t>("user_id").references("user", "id", FkAction::set_null);
    EXPECT_NE(problems_of(s).find("sets NULL on delete or update but the column is NOT NULL"), std::string::npos);
}

TEST(Validate, AutoincrementNeedsSoleIntegerKey)
{
    Schema s;
    s.table("t").column<std::string>("code").primary_key().autoincrement();
    EXPECT_NE(problems_of(s).find("column 'code': autoincrement needs an integer column"), std::string::npos);
}

TEST(Validate, DefaultThatDoesNotFitTheType)
{
    Schema s;
    s.table("t")
        .column<std::int64_t>("n").default_value("many")
        .column<bool>("b").default_value(2)
        .column<std::string>("s").varchar(3).default_value("toolong")
        .column<std::int64_t>("when").default_now()
        .column<Date>("d").default_value("31/12/2020");
    auto p = problems_of(s);
    EXPECT_NE(p.find("column 'n': default 'many' does not fit type bigint"), std::string::npos) << p;
    EXPECT_NE(p.find("column 'b': default 2 does not fit type boolean"), std::string::npos) << p;
    EXPECT_NE(p.find("column 's': default 'toolong' is longer than varchar(3)"), std::string::npos) << p;
    EXPECT_NE(p.find("column 'when': default_now() needs a timestamp column, not bigint"), std::string::npos) << p;
    EXPECT_NE(p.find("column 'd': default '31/12/2020' is not a valid date"), std::string::npos) << p;
}

TEST(Validate, UnknownNativeEnumAndBadEnumDefault)
{
    Schema s;
    s.native_enum("mood", {"sad", "ok"});
    s.table("t")
        .column("a", Type::enumeration("colour")).nullable()
        .column("b", Type::enumeration("mood")).nullable().default_value("happy");
    auto p = problems_of(s);
    EXPECT_NE(p.find("enum type 'colour' is not declared: add schema.native_enum(\"colour\", {...})"),
              std::string::npos) << p;
    EXPECT_NE(p.find("default 'happy' is not a label of enum 'mood'"), std::string::npos) << p;
}

TEST(Validate, PostgresqlIdentifierLimit)
{
    STRATA_TEST_NEEDS_BACKEND("postgresql");
    Schema s;
    std::string long_name(64, 'x');
    s.table(long_name).column<std::int64_t>("id");
    auto p = problems_of(s, "postgresql");
    EXPECT_NE(p.find("table '" + long_name + "' is 64 bytes; postgresql keeps only 63: give it a shorter name"),
              std::string::npos) << p;
    EXPECT_EQ(problems_of(s, "sqlite"), "");
}

TEST(Validate, NamesThatTruncateToTheSameName)
{
    STRATA_TEST_NEEDS_BACKEND("postgresql");
    Schema s;
    std::string base(63, 'y');
    s.table(base + "1").column<std::int64_t>("id");
    s.table(base + "2").column<std::int64_t>("id");
    auto p = problems_of(s, "postgresql");
    EXPECT_NE(p.find("are the same name once cut to 63 bytes"), std::string::npos) << p;
}

TEST(Validate, TypeSqliteCannotExpress)
{
    STRATA_TEST_NEEDS_BACKEND("sqlite");
    Schema s;
    s.table("t").column("tags", Type::custom("integer[]")).nullable();
    auto p = problems_of(s, "sqlite");
    EXPECT_NE(p.find("table 't': column 'tags': type 'integer[]' cannot be expressed on SQLite"), std::string::npos) << p;
    EXPECT_EQ(problems_of(s, "postgresql"), "");
}

TEST(Validate, DuplicateIndexNamesAcrossTables)
{
    Schema s;
    s.table("a").column<std::int64_t>("x").index("ix_same");
    s.table("b").column<std::int64_t>("x").index("ix_same");
    EXPECT_NE(problems_of(s).find("index name 'ix_same' is already used on table 'a'"), std::string::npos);
}

TEST(Validate, ThrowsModelErrorListingEveryProblem)
{
    Schema s("app");
    s.table("t").column<std::int64_t>("n").default_value("x").column<std::int64_t>("n");
    try {
        validate(s);
        FAIL() << "no error";
    } catch (const ModelError& e) {
        std::string w = e.what();
        EXPECT_EQ(e.code(), ErrorCode::model_invalid);
        EXPECT_NE(w.find("the models of bind 'app' are invalid (2 problems)"), std::string::npos) << w;
    }
}
