// Steps in phases, as data: where the phases are, what the lock-safe helpers
// expand to, how a step in phases reverses, and a SQL file's phase lines.
#include "strata/errors.hpp"
#include "strata/sql_files.hpp"
#include "strata/upgrader.hpp"

#include <gtest/gtest.h>

using namespace strata;

namespace {

std::vector<std::string> described(const std::vector<Op>& ops)
{
    std::vector<std::string> out;
    for (const auto& op : ops)
        out.push_back(describe(op));
    return out;
}

using Names = std::vector<std::string>;

}  // namespace

TEST(Phases, SetNotNullIsACheckNotValidItsValidationAndTheNotNullInThreePhases)
{
    const auto ops = Ops().set_not_null("users", col::text("email").nullable()).ops();
    EXPECT_EQ(described(ops), (Names{"add_check ck_users_email_not_null on users (not valid)", "next_phase",
                                     "validate_constraint ck_users_email_not_null on users", "next_phase",
                                     "alter_column users.email", "drop_check ck_users_email_not_null on users"}));
    EXPECT_EQ(std::get<AddCheck>(ops[0]).check.expression, "\"email\" IS NOT NULL");
    const auto& alter = std::get<AlterColumn>(ops[4]);
    EXPECT_TRUE(alter.from.nullable);
    EXPECT_FALSE(alter.to.nullable);

    // Applied to a model: the column is NOT NULL and no check is left.
    Schema s;
    s.tables.push_back(table("users").column(col::bigint("id")).column(col::text("email").nullable()).primary_key({"id"}));
    for (const auto& op : ops)
        apply(s, op);
    EXPECT_FALSE(s.find_table("users")->find_column("email")->nullable);
    EXPECT_TRUE(s.find_table("users")->checks.empty());

    // Reversed: the column nullable again, in phases, with no empty one.
    const auto down = reverse_all(ops);
    ASSERT_TRUE(down.irreversible.empty());
    for (const auto& op : down.ops)
        apply(s, op);
    EXPECT_TRUE(s.find_table("users")->find_column("email")->nullable);
    EXPECT_TRUE(s.find_table("users")->checks.empty());
}

TEST(Phases, AUniqueConstraintTakesOverItsConcurrentlyBuiltIndexAndGoesWithItOnTheWayDown)
{
    const auto ops = Ops().add_unique_concurrently("users", UniqueConstraint{{}, {"email"}}).ops();
    EXPECT_EQ(described(ops), (Names{"create_index uq_users_email on users", "next_phase",
                                     "add_unique uq_users_email on users (using index uq_users_email)"}));
    EXPECT_TRUE(std::get<CreateIndex>(ops[0]).concurrently);
    EXPECT_TRUE(std::get<CreateIndex>(ops[0]).index.unique);

    Schema s;
    s.tables.push_back(table("users").column(col::bigint("id")).column(col::text("email")).primary_key({"id"}));
    for (const auto& op : ops)
        apply(s, op);
    EXPECT_TRUE(s.find_table("users")->indexes.empty()) << "the index belongs to the constraint now";
    ASSERT_EQ(s.find_table("users")->uniques.size(), 1u);

    // Dropping the constraint drops its index: the index's own reverse is left out, and the empty phase with it.
    const auto down = reverse_all(ops);
    EXPECT_EQ(described(down.ops), (Names{"drop_unique uq_users_email on users"}));

    // A constraint over an index that is not there does not fit the model.
    Schema without;
    without.tables.push_back(table("users").column(col::bigint("id")).column(col::text("email")).primary_key({"id"}));
    EXPECT_THROW(apply(without, ops[2]), ModelError);
}

TEST(Phases, ThePhaseBoundaryAndTheTakenOverIndexArePartOfTheChecksum)
{
    Step a;
    a.version = 2;
    a.description = "safe";
    a.ops = Ops().add_check("t", CheckConstraint{"ck", "n > 0"}, true).validate_constraint("t", "ck").ops();
    Step b = a;
    b.ops = Ops().add_check("t", CheckConstraint{"ck", "n > 0"}, true).next_phase().validate_constraint("t", "ck").ops();
    EXPECT_NE(checksum(a), checksum(b));
    Step c = a;
    c.ops = Ops().add_unique("t", UniqueConstraint{"uq", {"n"}}).ops();
    Step d = a;
    d.ops = Ops().add_unique("t", UniqueConstraint{"uq", {"n"}}, "uq").ops();
    EXPECT_NE(checksum(c), checksum(d));
}

TEST(Phases, ASqlFileSplitsAtItsPhaseLinesUpAndDown)
{
    const auto step = parse_sql_migration("app/0002_safe.sql",
                                          "-- up\nALTER TABLE t ADD CONSTRAINT ck CHECK (n IS NOT NULL) NOT VALID;\n"
                                          "-- strata: phase\nALTER TABLE t VALIDATE CONSTRAINT ck;\n"
                                          "-- down\nALTER TABLE t DROP CONSTRAINT ck;\n");
    EXPECT_EQ(described(step.ops), (Names{"execute_sql", "next_phase", "execute_sql"}));
    ASSERT_TRUE(step.down.has_value());
    EXPECT_EQ(described(*step.down), (Names{"execute_sql"}));
    const auto* second = std::get<ExecuteSql>(step.ops[2]).sql_for("postgresql");
    ASSERT_NE(second, nullptr);
    EXPECT_NE(second->find("VALIDATE CONSTRAINT ck"), std::string::npos);
    EXPECT_EQ(second->find("NOT VALID"), std::string::npos) << *second;

    auto refused = [](const std::string& text, const std::string& expected) {
        try {
            (void)parse_sql_migration("app/0002_x.sql", text);
            ADD_FAILURE() << "accepted: " << text;
        } catch (const ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
        }
    };
    refused("-- strata: phase\n-- up\nSELECT 1;\n", "before '-- up'");
    refused("-- up\nSELECT 1;\n-- strata: phase\n-- strata: phase\nSELECT 2;\n", "a phase without statements");
    refused("-- up\n-- strata: phase\nSELECT 2;\n", "a phase without statements");
    refused("-- strata: no-transaction\n-- up\nCREATE INDEX CONCURRENTLY i ON t (n);\n-- strata: phase\nSELECT 1;\n",
            "no-transaction");
    refused("-- up\nSELECT 1;\n-- down\nSELECT 2;\n-- strata: phase\nSELECT 3;\n", "whose up section has none");
}
