// compare and autogenerate share one set of equivalence rules: a change that
// compare reports is a change autogenerate writes an op for, a rewrite compare
// accepts (0 and 0.0, NOW() and now(), spacing) gives no op, and the ops take
// the old schema to one compare finds equal to the new.
#include "strata/autogenerate.hpp"
#include "strata/compare.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <random>

using namespace strata;

namespace {

Column column(std::string name, Type type, bool nullable = true)
{
    Column c;
    c.name = std::move(name);
    c.type = std::move(type);
    c.nullable = nullable;
    return c;
}

Schema base()
{
    Schema s;
    Table account;
    account.name = "account";
    account.columns = {column("id", Type::bigint(), false), column("email", Type::varchar(255), false),
                       column("score", Type::double_precision()), column("tag", Type::custom("citext")),
                       column("created", Type::timestamptz(), false)};
    account.find_column("score")->default_value = Default::literal(std::int64_t{0});
    account.find_column("created")->default_value = Default::expression("now()");
    account.find_column("email")->collation = "C";
    account.primary_key = PrimaryKey{"account_pkey", {"id"}, {}};
    account.uniques.push_back(UniqueConstraint{"uq_account_email", {"email"}, false, false, {}});
    account.checks.push_back(CheckConstraint{"ck_account_score", "score >= 0", {}});
    Index by_tag;
    by_tag.name = "ix_account_tag";
    by_tag.elements.push_back(IndexElement{"tag"});
    by_tag.where = "tag IS NOT NULL";
    account.indexes.push_back(by_tag);
    Table visit;
    visit.name = "visit";
    visit.columns = {column("id", Type::bigint(), false), column("account_id", Type::bigint(), false)};
    visit.primary_key = PrimaryKey{"visit_pkey", {"id"}, {}};
    ForeignKey fk;
    fk.name = "fk_visit_account";
    fk.columns = {"account_id"};
    fk.ref_table = "account";
    fk.ref_columns = {"id"};
    visit.foreign_keys.push_back(fk);
    s.tables = {account, visit};
    SqlObject view;
    view.kind = ObjectKind::view;
    view.name = "active";
    view.definition = "SELECT id FROM account WHERE score > 0";
    s.objects.push_back(view);
    return s;
}

Table& table(Schema& s, const std::string& name)
{
    return *s.find_table(name);
}

struct Mutation {
    const char* what;
    bool changes;  // false: a rewrite that means the same
    std::function<void(Schema&)> apply;
};

const std::vector<Mutation>& mutations()
{
    static const std::vector<Mutation> all = {
        // Rewrites compare accepts.
        {"score default 0 written as 0.0", false,
         [](Schema& s) { table(s, "account").find_column("score")->default_value = Default::literal(0.0); }},
        {"created default NOW( )", false,
         [](Schema& s) { table(s, "account").find_column("created")->default_value = Default::expression("NOW( )"); }},
        {"tag type CITEXT", false, [](Schema& s) { table(s, "account").find_column("tag")->type = Type::custom("CITEXT"); }},
        {"check respaced", false, [](Schema& s) { table(s, "account").checks[0].expression = "score>=0"; }},
        {"index predicate respaced", false, [](Schema& s) { table(s, "account").indexes[0].where = "tag  IS NOT NULL"; }},
        {"view respaced", false, [](Schema& s) { s.objects[0].definition = "SELECT id\n  FROM account WHERE score > 0"; }},
        {"collation case", false, [](Schema& s) { table(s, "account").find_column("email")->collation = "c"; }},
        // Changes.
        {"score default 1", true,
         [](Schema& s) { table(s, "account").find_column("score")->default_value = Default::literal(std::int64_t{1}); }},
        {"email nullable", true, [](Schema& s) { table(s, "account").find_column("email")->nullable = true; }},
        {"email varchar(100)", true, [](Schema& s) { table(s, "account").find_column("email")->type = Type::varchar(100); }},
        {"email comment", true, [](Schema& s) { table(s, "account").find_column("email")->comment = "where we write"; }},
        {"id identity options", true,
         [](Schema& s) { table(s, "account").find_column("id")->identity_options = "START WITH 10"; }},
        {"index includes email", true, [](Schema& s) { table(s, "account").indexes[0].include = {"email"}; }},
        {"index method", true, [](Schema& s) { table(s, "account").indexes[0].method = "hash"; }},
        {"index options", true, [](Schema& s) { table(s, "account").indexes[0].options = "fillfactor=70"; }},
        {"index descending", true, [](Schema& s) { table(s, "account").indexes[0].elements[0].descending = true; }},
        {"unique deferrable", true, [](Schema& s) { table(s, "account").uniques[0].deferrable = true; }},
        {"unique comment", true, [](Schema& s) { table(s, "account").uniques[0].comment = "one account per address"; }},
        {"check expression", true, [](Schema& s) { table(s, "account").checks[0].expression = "score > 0"; }},
        {"fk on delete cascade", true, [](Schema& s) { table(s, "visit").foreign_keys[0].on_delete = FkAction::cascade; }},
        {"fk deferrable", true, [](Schema& s) { table(s, "visit").foreign_keys[0].deferrable = true; }},
        {"view body", true, [](Schema& s) { s.objects[0].definition = "SELECT id FROM account"; }},
        {"new column", true,
         [](Schema& s) {
             if (!table(s, "visit").find_column("at"))
                 table(s, "visit").columns.push_back(column("at", Type::timestamptz()));
         }},
    };
    return all;
}

}  // namespace

TEST(Equivalence, CompareAndAutogenerateAgreeOnEveryChange)
{
    const auto base_schema = base();
    for (const auto& m : mutations()) {
        SCOPED_TRACE(m.what);
        auto changed = base_schema;
        m.apply(changed);
        const auto differences = compare(base_schema, changed);
        const auto step = autogenerate(base_schema, changed);
        EXPECT_EQ(differences.empty(), !m.changes);
        EXPECT_EQ(step.ops.empty(), !m.changes) << (step.ops.empty() ? "no op" : describe(step.ops.front()));
    }
}

TEST(Equivalence, RandomChangesAutogenerateWhatCompareSeesAndNoMore)
{
    const unsigned seed = std::getenv("STRATA_SEED") ? static_cast<unsigned>(std::atoi(std::getenv("STRATA_SEED")))
                                                     : std::random_device{}();
    std::cout << "seed " << seed << " (STRATA_SEED=" << seed << " repeats it)\n";
    std::mt19937 random(seed);
    const auto& all = mutations();
    const auto base_schema = base();
    for (int trial = 0; trial < 300; ++trial) {
        auto changed = base_schema;
        std::string applied;
        const int count = 1 + static_cast<int>(random() % 4);
        for (int i = 0; i < count; ++i) {
            const auto& m = all[random() % all.size()];
            m.apply(changed);
            applied += std::string(m.what) + "; ";
        }
        SCOPED_TRACE("seed " + std::to_string(seed) + ", trial " + std::to_string(trial) + ": " + applied);
        const auto step = autogenerate(base_schema, changed);
        ASSERT_EQ(compare(base_schema, changed).empty(), step.ops.empty());
        // The ops, applied to the old schema, leave nothing for compare to report.
        auto moved = base_schema;
        for (const auto& op : step.ops)
            ASSERT_NO_THROW(apply(moved, op)) << describe(op);
        const auto left = compare(moved, changed);
        EXPECT_TRUE(left.empty()) << to_text(left.front(), "after the ops", "target");
    }
}
