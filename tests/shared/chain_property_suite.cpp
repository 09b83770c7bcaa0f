// A property of the upgrader: seeded random chains that mix schema ops, raw-SQL
// DDL, data code with DDL and ops that make SQLite rebuild a table end with the
// same schema and rows step by step and with --atomic (and as a fresh setup
// where the models cover the chain), and nothing disappears that no op removed.
// The seed is printed; STRATA_SEED=N replays one, STRATA_LONG=1 runs ten times more.
#include "upgrader_suite.hpp"

#include "strata/errors.hpp"

#include <cstdlib>
#include <random>
#include <set>

namespace strata::test {

namespace {

// What the generator knows the bind holds: it wrote every statement.
struct ModelTable {
    std::string name;
    std::map<std::string, std::string> columns;  // name -> "int", "bigint" or "text"
    std::set<std::string> indexes;
    std::set<std::string> triggers;
    std::set<std::string> filled;                // text columns a raw UPDATE filled for every row then present
    std::map<std::string, long long> filled_rows;
    long long rows = 0;
    long long next_id = 1;
};

struct Chain {
    std::vector<Step> steps;
    std::vector<ModelTable> tables;  // at the end of the chain
    bool opaque = false;             // raw SQL or data code: no models can cover it
};

class Generator {
public:
    // Without opaque steps (one chain in four) the chain's models can be known.
    Generator(unsigned seed, bool opaque_allowed) : rng_(seed), opaque_allowed_(opaque_allowed) {}

    Chain chain(int length)
    {
        Chain c;
        add_step(c, make_create_table());
        for (int v = 2; v <= length; ++v) {
            std::vector<Op> ops;
            const int count = 1 + pick(2);
            for (int i = 0; i < count; ++i)
                random_op(ops);
            add_step(c, std::move(ops));
        }
        c.tables = tables_;
        c.opaque = opaque_;
        return c;
    }

private:
    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
    std::string fresh(const std::string& prefix) { return prefix + std::to_string(++names_); }
    ModelTable& any_table() { return tables_[static_cast<std::size_t>(pick(static_cast<int>(tables_.size())))]; }

    void add_step(Chain& c, std::vector<Op> ops)
    {
        Step s;
        s.version = static_cast<long long>(c.steps.size()) + 1;
        s.description = "random step " + std::to_string(s.version);
        s.ops = std::move(ops);
        c.steps.push_back(std::move(s));
    }

    std::vector<Op> make_create_table()
    {
        ModelTable t;
        t.name = fresh("t");
        t.columns = {{"id", "bigint"}, {"n", "int"}, {"label", "text"}};
        tables_.push_back(t);
        return {CreateTable{table(t.name)
                                .column(col::bigint("id"))
                                .column(col::integer("n").nullable())
                                .column(col::text("label").nullable())
                                .primary_key({"id"})}};
    }

    std::string column_of(const ModelTable& t, bool droppable)
    {
        std::vector<std::string> names;
        for (const auto& [name, type] : t.columns)
            if (name != "id" && (!droppable || t.columns.size() > 2))
                names.push_back(name);
        return names.empty() ? std::string() : names[static_cast<std::size_t>(pick(static_cast<int>(names.size())))];
    }

    Column column(const std::string& name, const std::string& type)
    {
        if (type == "int")
            return col::integer(name).nullable();
        if (type == "bigint")
            return col::bigint(name).nullable();
        return col::text(name).nullable();
    }

    void insert_rows(ModelTable& t, std::vector<Op>& ops, bool as_code)
    {
        const long long a = t.next_id++, b = t.next_id++;
        const std::string sql = "INSERT INTO " + t.name + " (id, n, label) VALUES (" + std::to_string(a) + ", " +
                                std::to_string(a * 10) + ", 'row " + std::to_string(a) + "'), (" + std::to_string(b) +
                                ", NULL, NULL)";
        t.rows += 2;
        opaque_ = true;
        if (as_code)
            ops.push_back(DataCode{"insert " + std::to_string(a), [sql](Session& s) { s.execute(sql); }, {}});
        else
            ops.push_back(ExecuteSql{{{"", sql}}, {}});
    }

    void random_op(std::vector<Op>& ops)
    {
        auto& t = any_table();
        static constexpr int transparent[] = {0, 1, 2, 3, 4, 5, 11};
        const int kind = opaque_allowed_ ? pick(12) : transparent[pick(7)];
        switch (kind) {
        case 0: {  // a new table
            for (auto& op : make_create_table())
                ops.push_back(std::move(op));
            break;
        }
        case 1: {  // add a column
            auto name = fresh("c");
            const std::string type = pick(2) ? "int" : "text";
            t.columns[name] = type;
            ops.push_back(AddColumn{t.name, column(name, type)});
            break;
        }
        case 2: {  // drop a column (with what it was, so it reverses)
            auto name = column_of(t, true);
            if (name.empty() || name == "n" || name == "label")
                break;  // inserts name them
            ops.push_back(DropColumn{t.name, name, column(name, t.columns[name])});
            t.columns.erase(name);
            std::erase_if(t.indexes, [&](const std::string& ix) { return ix.ends_with("_" + name); });
            t.filled.erase(name);
            break;
        }
        case 3: {  // change a type: a rebuild on SQLite
            auto name = column_of(t, false);
            if (name.empty() || t.columns[name] == "text")
                break;
            const std::string to = t.columns[name] == "int" && pick(2) ? "bigint" : "text";
            ops.push_back(AlterColumn{t.name, column(name, t.columns[name]), column(name, to)});
            t.columns[name] = to;
            break;
        }
        case 4: {  // an index
            auto name = column_of(t, false);
            if (name.empty())
                break;
            auto ix = fresh("ix") + "_" + name;
            t.indexes.insert(ix);
            ops.push_back(CreateIndex{t.name, Index{ix, {IndexElement(name)}, false, {}, {}}});
            break;
        }
        case 5: {  // drop an index
            if (t.indexes.empty())
                break;
            auto ix = *t.indexes.begin();
            t.indexes.erase(ix);
            ops.push_back(DropIndex{t.name, ix, std::nullopt});
            break;
        }
        case 6:
            insert_rows(t, ops, false);
            break;
        case 7:
            insert_rows(t, ops, true);
            break;
        case 8: {  // raw-SQL DDL strata did not write: a column filled with values, and an index
            auto name = fresh("raw");
            auto ix = fresh("rix") + "_" + name;
            t.columns[name] = "text";
            t.indexes.insert(ix);
            t.filled.insert(name);
            t.filled_rows[name] = t.rows;
            opaque_ = true;
            ops.push_back(ExecuteSql{{{"", "ALTER TABLE " + t.name + " ADD COLUMN " + name + " TEXT;\nCREATE INDEX " +
                                                ix + " ON " + t.name + " (" + name + ");\nUPDATE " + t.name + " SET " +
                                                name + " = 'v' || id"}},
                                     {}});
            break;
        }
        case 9: {  // data code with DDL in the second statement of one text
            auto name = fresh("code");
            t.columns[name] = "text";
            t.filled.insert(name);
            t.filled_rows[name] = t.rows;
            const std::string sql = "UPDATE " + t.name + " SET n = n; ALTER TABLE " + t.name + " ADD COLUMN " + name +
                                    " TEXT DEFAULT 'd'";
            opaque_ = true;
            ops.push_back(DataCode{"ddl " + name, [sql](Session& s) { s.execute(sql); }, {}});
            break;
        }
        case 10: {  // a trigger made by raw SQL (it names no column, so no op breaks it)
            auto name = fresh("trg");
            t.triggers.insert(name);
            opaque_ = true;
            const std::string sqlite_text =
                "CREATE TRIGGER " + name + " AFTER INSERT ON " + t.name + " BEGIN SELECT 1; END";
            const std::string pg_text = "CREATE FUNCTION " + name + "_f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                                        "RETURN NEW; END $$;\nCREATE TRIGGER " + name + " AFTER INSERT ON " + t.name +
                                        " FOR EACH ROW EXECUTE FUNCTION " + name + "_f()";
            ops.push_back(ExecuteSql{{{"sqlite", sqlite_text}, {"postgresql", pg_text}}, {}});
            break;
        }
        default: {  // two changes of one table in one step: one rebuild on SQLite
            auto name = column_of(t, false);
            if (name.empty() || t.columns[name] == "text")
                break;
            ops.push_back(AlterColumn{t.name, column(name, t.columns[name]), column(name, "text")});
            t.columns[name] = "text";
            auto added = fresh("c");
            t.columns[added] = "int";
            ops.push_back(AddColumn{t.name, column(added, "int")});
            break;
        }
        }
        if (ops.empty()) {  // nothing fitted: a column always does
            auto name = fresh("c");
            tables_.front().columns[name] = "int";
            ops.push_back(AddColumn{tables_.front().name, column(name, "int")});
        }
    }

    std::mt19937 rng_;
    bool opaque_allowed_;
    std::vector<ModelTable> tables_;
    int names_ = 0;
    bool opaque_ = false;
};

Upgrader upgrader_for(const std::string& url, const Chain& chain, const Schema* models)
{
    Upgrader up;
    auto b = up.bind("app", connect(url), models ? *models : Schema("app"));
    if (!models)
        b.without_models();
    for (const auto& step : chain.steps)
        b.add(step);
    return up;
}

std::int64_t count(Database& db, const std::string& sql)
{
    return std::get<std::int64_t>(db.session().scalar(sql));
}

// Every table, column, index and trigger the generator knows of is there, with its rows.
std::string missing(const std::string& url, const Chain& chain)
{
    auto db = connect(url);
    const auto live = db.inspect();
    std::string out;
    for (const auto& t : chain.tables) {
        const auto* lt = live.find_table(t.name);
        if (!lt) {
            out += "table " + t.name + " is missing\n";
            continue;
        }
        for (const auto& [name, type] : t.columns)
            if (!lt->find_column(name))
                out += "column " + t.name + "." + name + " is missing\n";
        for (const auto& ix : t.indexes)
            if (!lt->find_index(ix))
                out += "index " + ix + " on " + t.name + " is missing\n";
        for (const auto& trg : t.triggers)
            if (!live.find_object(ObjectKind::trigger, trg))
                out += "trigger " + trg + " is missing\n";
        if (auto rows = count(db, "SELECT count(*) FROM " + t.name); rows != t.rows)
            out += "table " + t.name + " has " + std::to_string(rows) + " rows, not " + std::to_string(t.rows) + "\n";
        for (const auto& c : t.filled)
            if (!lt->find_column(c))
                continue;
            else if (auto n = count(db, "SELECT count(*) FROM " + t.name + " WHERE " + c + " IS NOT NULL");
                n < t.filled_rows.at(c))
                out += "column " + t.name + "." + c + " lost values (" + std::to_string(n) + " left)\n";
    }
    return out;
}

std::string rows_of(const std::string& url, const Chain& chain)
{
    auto db = connect(url);
    std::string out;
    for (const auto& t : chain.tables)
        out += t.name + ":" + std::to_string(count(db, "SELECT count(*) FROM " + t.name)) + " ";
    return out;
}

int chains_to_run(bool postgresql)
{
    const bool long_run = std::getenv("STRATA_LONG") && std::string(std::getenv("STRATA_LONG")) == "1";
    return (postgresql ? 50 : 200) * (long_run ? 10 : 1);
}

}  // namespace

TEST_P(ChainPropertySuite, RandomChainsEndTheSameStepByStepAtomicallyAndFreshAndLoseNothing)
{
    const char* fixed = std::getenv("STRATA_SEED");
    const unsigned base = fixed ? static_cast<unsigned>(std::strtoul(fixed, nullptr, 10)) : std::random_device{}();
    const int chains = fixed ? 1 : chains_to_run(!sqlite());
    std::cout << "chain property: base seed " << base << ", " << chains
              << " chains (chain i has seed base + i; a failure names its STRATA_SEED, which replays it alone)\n";
    int fresh_compared = 0;
    for (int i = 0; i < chains; ++i) {
        const unsigned seed = base + static_cast<unsigned>(i);
        SCOPED_TRACE("STRATA_SEED=" + std::to_string(seed));
        Generator generator(seed, seed % 4 != 0);
        const auto chain = generator.chain(4 + static_cast<int>(seed % 6));
        auto options = quiet();
        options.replay = true;

        const auto by_step = new_url();
        const auto atomic = new_url();
        try {
            auto up = upgrader_for(by_step, chain, nullptr);
            (void)up.run(options);
            auto up_atomic = upgrader_for(atomic, chain, nullptr);
            auto atomic_options = options;
            atomic_options.atomic = true;
            (void)up_atomic.run(atomic_options);
        } catch (const Error& e) {
            ADD_FAILURE() << "the chain failed: " << e.what();
            break;
        }
        const auto lost = missing(by_step, chain);
        EXPECT_EQ(lost, "") << "step by step";
        const auto lost_atomic = missing(atomic, chain);
        EXPECT_EQ(lost_atomic, "") << "atomic";
        const auto a = connect(by_step).inspect();
        const auto b = connect(atomic).inspect();
        const auto diff = compare(a, b);
        EXPECT_TRUE(diff.empty()) << "step by step vs atomic:\n" << lines(diff);
        EXPECT_EQ(rows_of(by_step, chain), rows_of(atomic, chain));
        if (!chain.opaque) {
            // The models of such a chain are its ops replayed: a fresh setup from them.
            Schema models("app");
            for (const auto& step : chain.steps)
                for (const auto& op : step.ops)
                    apply(models, op);
            const auto fresh = new_url();
            auto up_fresh = upgrader_for(fresh, chain, &models);
            (void)up_fresh.run(quiet());
            const auto fresh_diff = compare(a, connect(fresh).inspect());
            EXPECT_TRUE(fresh_diff.empty()) << "step by step vs fresh setup:\n" << lines(fresh_diff);
            ++fresh_compared;
        }
        if (HasFailure())
            break;
    }
    std::cout << "chain property: " << fresh_compared << " chains also compared with a fresh setup\n";
}

}  // namespace strata::test
