// The linter: each rule fires on the harmful form, in C++ ops and in SQL, and
// stays quiet on the safe rewrite it recommends and on a table the same step
// creates; SQLite checks only the rules about the running release.
#include "strata/dialect.hpp"
#include "strata/errors.hpp"
#include "strata/lint.hpp"
#include "strata/sql_files.hpp"
#include "strata/upgrader.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace strata;

namespace {

const Dialect& engine(const char* name)
{
    const auto* d = find_dialect(name);
    if (!d)
        throw std::runtime_error(std::string("this strata is built without ") + name);
    return *d;
}

Step sql_step(long long version, std::string sql, bool no_transaction = false)
{
    Step s;
    s.version = version;
    s.description = "step " + std::to_string(version);
    ExecuteSql e;
    e.sql.on("", std::move(sql));
    s.ops.push_back(std::move(e));
    s.no_transaction = no_transaction;
    return s;
}

Step ops_step(long long version, const std::function<void(Ops&)>& build)
{
    Step s;
    s.version = version;
    s.description = "step " + std::to_string(version);
    Ops ops;
    build(ops);
    s.ops = std::move(ops).ops();
    return s;
}

const Step items = sql_step(1, "CREATE TABLE items (id integer PRIMARY KEY, name text, owner integer, price numeric(8,2), code varchar(10))");

// The rules that fire on `step` after the items table exists.
std::vector<std::string> rules_of(const Step& step, const char* dialect = "postgresql")
{
    const std::vector<Step> steps{items, step};
    std::vector<std::string> out;
    for (const auto& f : lint_steps(steps, engine(dialect), "app"))
        out.push_back(f.rule + (f.allowed.empty() ? "" : " (allowed)"));
    return out;
}

using Rules = std::vector<std::string>;

}  // namespace

TEST(Lint, EverySqlRuleFiresOnTheHarmfulFormAndNotOnItsRewrite)
{
    const std::vector<std::pair<std::string, Rules>> cases{
        {"CREATE INDEX items_name ON items (name)", {"index-not-concurrent"}},
        {"CREATE UNIQUE INDEX IF NOT EXISTS items_name ON public.items (name)", {"index-not-concurrent"}},
        {"DROP INDEX items_name", {"drop-index-not-concurrent"}},
        {"ALTER TABLE items ADD CONSTRAINT fk FOREIGN KEY (owner) REFERENCES items (id)", {"constraint-not-valid"}},
        {"ALTER TABLE items ADD CONSTRAINT fk FOREIGN KEY (owner) REFERENCES items (id) NOT VALID", {}},
        {"ALTER TABLE items ADD CHECK (owner > 0)", {"constraint-not-valid"}},
        {"ALTER TABLE items ADD CONSTRAINT ck CHECK (owner > 0) NOT VALID", {}},
        {"ALTER TABLE items VALIDATE CONSTRAINT ck", {}},
        {"ALTER TABLE items ALTER COLUMN name SET NOT NULL", {"set-not-null"}},
        {"ALTER TABLE items ALTER name DROP NOT NULL", {}},
        {"ALTER TABLE items ADD COLUMN token uuid DEFAULT gen_random_uuid()", {"volatile-default"}},
        {"ALTER TABLE items ADD COLUMN n bigserial", {"volatile-default"}},
        {"ALTER TABLE items ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY", {"volatile-default"}},
        {"ALTER TABLE items ADD COLUMN twice integer GENERATED ALWAYS AS (owner * 2) STORED", {"volatile-default"}},
        {"ALTER TABLE items ADD COLUMN created timestamptz DEFAULT now()", {}},
        {"ALTER TABLE items ADD COLUMN flag boolean NOT NULL DEFAULT false", {}},
        {"ALTER TABLE items ADD COLUMN parent integer REFERENCES items (id)", {"constraint-not-valid"}},
        {"ALTER TABLE items ALTER COLUMN owner TYPE bigint", {"type-change"}},
        {"ALTER TABLE items ALTER COLUMN owner SET DATA TYPE bigint USING owner::bigint", {"type-change"}},
        {"ALTER TABLE items ADD CONSTRAINT items_name_key UNIQUE (name)", {"unique-constraint"}},
        {"ALTER TABLE items ADD CONSTRAINT items_name_key UNIQUE USING INDEX items_name_idx", {}},
        {"ALTER TABLE items ADD PRIMARY KEY (id)", {"unique-constraint"}},
        {"ALTER TABLE items RENAME COLUMN name TO title", {"rename-column"}},
        {"ALTER TABLE items RENAME name TO title", {"rename-column"}},
        {"ALTER TABLE items RENAME TO things", {"rename-table"}},
        {"ALTER TABLE items RENAME CONSTRAINT a TO b", {}},
        {"ALTER TABLE items DROP COLUMN name", {"drop-column"}},
        {"ALTER TABLE items DROP CONSTRAINT ck, ALTER COLUMN owner DROP DEFAULT", {}},
        {"DROP TABLE items", {"drop-table"}},
        {"DROP TABLE IF EXISTS other", {"drop-table"}},
        {"VACUUM FULL items", {"table-rewrite-command"}},
        {"VACUUM (ANALYZE) items", {}},
        {"CLUSTER items USING items_pkey", {"table-rewrite-command"}},
        {"SET lock_timeout = 0", {"no-lock-timeout"}},
        {"SET LOCAL lock_timeout TO '0'", {"no-lock-timeout"}},
        {"SET lock_timeout = '5s'", {}},
        {"CREATE INDEX CONCURRENTLY items_name ON items (name)", {"concurrently-in-transaction"}},
        {"UPDATE items SET name = 'x' WHERE id < 1000", {}},
        {"ALTER TABLE items ALTER COLUMN name SET NOT NULL, ADD COLUMN t uuid DEFAULT random()::text::uuid",
         {"set-not-null", "volatile-default"}},
    };
    for (const auto& [sql, expected] : cases)
        EXPECT_EQ(rules_of(sql_step(2, sql)), expected) << sql;
    // Without a transaction, CONCURRENTLY is the safe form.
    EXPECT_EQ(rules_of(sql_step(2, "CREATE INDEX CONCURRENTLY items_name ON items (name)", true)), Rules{});
    EXPECT_EQ(rules_of(sql_step(2, "DROP INDEX CONCURRENTLY IF EXISTS items_name", true)), Rules{});
}

TEST(Lint, ATableOrIndexTheSameStepCreatesIsNew)
{
    EXPECT_EQ(rules_of(sql_step(2, "CREATE TABLE t (id integer, name text);\nCREATE INDEX t_name ON t (name);\n"
                                   "ALTER TABLE t ADD CONSTRAINT u UNIQUE (name);\nALTER TABLE t ALTER name SET NOT NULL;\n"
                                   "ALTER TABLE t RENAME name TO title;\nDROP INDEX t_name;\nDROP TABLE t")),
              Rules{});
    // An earlier step's table may hold millions of rows in production.
    EXPECT_EQ(rules_of(sql_step(2, "CREATE INDEX i ON items (code)")), Rules{"index-not-concurrent"});
}

TEST(Lint, SetNotNullAfterAValidatedCheckIsSafe)
{
    const std::vector<Step> steps{items, sql_step(2, "ALTER TABLE items ADD CONSTRAINT nn CHECK (name IS NOT NULL) NOT VALID"),
                                  sql_step(3, "ALTER TABLE items VALIDATE CONSTRAINT nn"),
                                  sql_step(4, "ALTER TABLE items ALTER COLUMN name SET NOT NULL;\nALTER TABLE items DROP CONSTRAINT nn")};
    EXPECT_TRUE(lint_steps(steps, engine("postgresql"), "app").empty());
}

TEST(Lint, OpsFollowTheSameRules)
{
    const auto name = Column{.name = "name", .type = Type::text()};
    auto required = name;
    required.nullable = false;
    auto wider = Column{.name = "code", .type = Type::varchar(10)};
    auto widest = wider;
    widest.type = Type::varchar(40);
    auto number = Column{.name = "owner", .type = Type::integer()};
    auto big = number;
    big.type = Type::bigint();
    auto token = Column{.name = "token", .type = Type::uuid(), .default_value = Default::expression("gen_random_uuid()")};
    auto stamp = Column{.name = "at", .type = Type::timestamptz(), .default_value = Default::now()};
    EXPECT_EQ(rules_of(ops_step(2, [](Ops& o) { o.create_index("items", Index{.name = "i", .elements = {IndexElement("name")}}); })),
              Rules{"index-not-concurrent"});
    auto concurrent = ops_step(2, [](Ops& o) { o.create_index("items", Index{.name = "i", .elements = {IndexElement("name")}}, true); });
    EXPECT_EQ(rules_of(concurrent), Rules{"concurrently-in-transaction"});
    concurrent.no_transaction = true;
    EXPECT_EQ(rules_of(concurrent), Rules{});
    EXPECT_EQ(rules_of(ops_step(2, [&](Ops& o) { o.alter_column("items", name, required); })), Rules{"set-not-null"});
    EXPECT_EQ(rules_of(ops_step(2, [&](Ops& o) { o.alter_column("items", wider, widest); })), Rules{});
    EXPECT_EQ(rules_of(ops_step(2, [&](Ops& o) { o.alter_column("items", widest, wider); })), Rules{"type-change"});
    EXPECT_EQ(rules_of(ops_step(2, [&](Ops& o) { o.alter_column("items", number, big); })), Rules{"type-change"});
    EXPECT_EQ(rules_of(ops_step(2, [&](Ops& o) { o.add_column("items", token); })), Rules{"volatile-default"});
    EXPECT_EQ(rules_of(ops_step(2, [&](Ops& o) { o.add_column("items", stamp); })), Rules{});
    EXPECT_EQ(rules_of(ops_step(2, [](Ops& o) {
                  o.add_foreign_key("items", ForeignKey{.name = "fk", .columns = {"owner"}, .ref_table = "items", .ref_columns = {"id"}});
              })),
              Rules{"constraint-not-valid"});
    EXPECT_EQ(rules_of(ops_step(2, [](Ops& o) { o.add_check("items", CheckConstraint{.name = "ck", .expression = "owner > 0"}); })),
              Rules{"constraint-not-valid"});
    EXPECT_EQ(rules_of(ops_step(2, [](Ops& o) { o.add_unique("items", UniqueConstraint{.name = "u", .columns = {"name"}}); })),
              Rules{"unique-constraint"});
    EXPECT_EQ(rules_of(ops_step(2, [](Ops& o) { o.rename_column("items", "name", "title"); })), Rules{"rename-column"});
    EXPECT_EQ(rules_of(ops_step(2, [](Ops& o) { o.rename_table("items", "things"); })), Rules{"rename-table"});
    EXPECT_EQ(rules_of(ops_step(2, [](Ops& o) { o.drop_column("items", "name"); })), Rules{"drop-column"});
    EXPECT_EQ(rules_of(ops_step(2, [](Ops& o) { o.drop_table("items"); })), Rules{"drop-table"});
    EXPECT_EQ(rules_of(ops_step(2, [](Ops& o) { o.drop_index("items", "i"); })), Rules{"drop-index-not-concurrent"});
    auto unbounded = ops_step(2, [](Ops& o) { o.execute("UPDATE items SET name = 'x'"); });
    unbounded.lock_timeout = std::chrono::milliseconds(0);
    EXPECT_EQ(rules_of(unbounded), Rules{"no-lock-timeout"});
}

TEST(Lint, OnSqliteOnlyTheRunningReleaseRulesApply)
{
    EXPECT_EQ(rules_of(sql_step(2, "CREATE INDEX i ON items (name);\nALTER TABLE items ADD COLUMN t text DEFAULT random();\n"
                                   "ALTER TABLE items RENAME COLUMN name TO title;\nALTER TABLE items DROP COLUMN owner"),
                       "sqlite"),
              (Rules{"rename-column", "drop-column"}));
    std::size_t on_sqlite = 0;
    for (const auto& rule : lint_rules())
        on_sqlite += rule.on_sqlite ? 1 : 0;
    EXPECT_EQ(on_sqlite, 4u);
}

TEST(Lint, AStepAllowsAFindingWithItsReasonAndAnUnknownRuleIsAnError)
{
    auto step = sql_step(2, "ALTER TABLE items DROP COLUMN name;\nCREATE INDEX i ON items (code)");
    step.lint_allowed.push_back({"drop-column", "release 41 stopped reading it"});
    const std::vector<Step> steps{items, step};
    const auto findings = lint_steps(steps, engine("postgresql"), "app");
    ASSERT_EQ(findings.size(), 2u);
    EXPECT_EQ(findings[0].allowed, "release 41 stopped reading it");
    EXPECT_EQ(findings[1].allowed, "");
    step.lint_allowed.push_back({"no-such-rule", "because"});
    const std::vector<Step> wrong{items, step};
    try {
        (void)lint_steps(wrong, engine("postgresql"), "app");
        FAIL() << "an unknown rule was accepted";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("no-such-rule"), std::string::npos) << e.what();
    }
}

TEST(Lint, AFindingInASqlFileNamesItsLine)
{
    const auto step = parse_sql_migration("migrations/app/0002_index.sql",
                                          "-- a comment\n-- strata: allow drop-column gone since 41\n-- up\n\n"
                                          "UPDATE items SET name = 'x';\n\nCREATE INDEX i\n  ON items (name);\n"
                                          "ALTER TABLE items DROP COLUMN owner;\n-- down\nDROP INDEX i;\n");
    const std::vector<Step> steps{items, step};
    const auto findings = lint_steps(steps, engine("postgresql"), "app");
    ASSERT_EQ(findings.size(), 2u);
    EXPECT_EQ(findings[0].file, "migrations/app/0002_index.sql");
    EXPECT_EQ(findings[0].line, 7u);
    EXPECT_EQ(findings[0].statement, "CREATE INDEX i ON items (name)");
    EXPECT_EQ(findings[1].line, 9u);
    EXPECT_EQ(findings[1].allowed, "gone since 41");
    const auto text = format_finding(findings[0]);
    EXPECT_NE(text.find("(migrations/app/0002_index.sql:7): index-not-concurrent"), std::string::npos) << text;
    EXPECT_NE(text.find("fix: build it CONCURRENTLY"), std::string::npos) << text;
}

// Phases: a NOT VALID constraint validated in the transaction that added it
// keeps the add's lock through the scan; in the next phase it does not. A
// CONCURRENTLY index alone in a phase runs outside a transaction.
TEST(Lint, ValidationInTheAddsPhaseIsFlaggedAndConcurrentlyAloneInAPhaseIsNot)
{
    EXPECT_EQ(rules_of(ops_step(2, [](Ops& o) {
                  o.add_check("items", CheckConstraint{"ck_price", "price > 0"}, true);
                  o.validate_constraint("items", "ck_price");
              })),
              Rules{"constraint-not-valid"});
    EXPECT_EQ(rules_of(ops_step(2, [](Ops& o) {
                  o.add_check("items", CheckConstraint{"ck_price", "price > 0"}, true);
                  o.next_phase();
                  o.validate_constraint("items", "ck_price");
              })),
              Rules{});
    EXPECT_EQ(rules_of(ops_step(2, [](Ops& o) { o.set_not_null("items", col::text("name").nullable()); })), Rules{});
    EXPECT_EQ(rules_of(ops_step(2, [](Ops& o) { o.add_unique_concurrently("items", UniqueConstraint{"uq_code", {"code"}}); })),
              Rules{});
    EXPECT_EQ(rules_of(ops_step(2, [](Ops& o) {
                  o.create_index("items", Index{.name = "ix_name", .elements = {"name"}}, true);
                  o.add_unique("items", UniqueConstraint{"uq_code", {"code"}});
              })),
              (Rules{"concurrently-in-transaction", "unique-constraint"}));
    // Only an index runs outside a transaction by itself in a phase: a REINDEX would fail there.
    const auto reindex = parse_sql_migration("migrations/app/0002_reindex.sql",
                                             "-- up\nSELECT 1;\n-- strata: phase\nREINDEX INDEX CONCURRENTLY ix;\n");
    EXPECT_EQ(rules_of(reindex), Rules{"concurrently-in-transaction"});
    // The same in a SQL file, line numbers across phases included.
    const auto step = parse_sql_migration("migrations/app/0002_safe.sql",
                                          "-- up\nALTER TABLE items ADD CONSTRAINT ck CHECK (price > 0) NOT VALID;\n"
                                          "ALTER TABLE items VALIDATE CONSTRAINT ck;\n-- strata: phase\n"
                                          "CREATE UNIQUE INDEX CONCURRENTLY uq ON items (code);\n-- strata: phase\n"
                                          "\nALTER TABLE items ADD CONSTRAINT uq UNIQUE USING INDEX uq;\n"
                                          "CREATE INDEX CONCURRENTLY ix ON items (name);\n");
    const std::vector<Step> steps{items, step};
    const auto findings = lint_steps(steps, engine("postgresql"), "app");
    ASSERT_EQ(findings.size(), 2u);
    EXPECT_EQ(findings[0].rule, "constraint-not-valid");
    EXPECT_EQ(findings[0].line, 3u);
    EXPECT_NE(findings[0].why.find("validated in the transaction that added it"), std::string::npos) << findings[0].why;
    EXPECT_EQ(findings[1].rule, "concurrently-in-transaction");
    EXPECT_EQ(findings[1].line, 9u);
}
