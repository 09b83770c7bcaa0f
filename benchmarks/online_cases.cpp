// online1m (PostgreSQL): the application's latency while a five-change
// migration runs on a 1,000,000-row table under pgbench (8 clients: a point
// SELECT and an UPDATE by key), measured from pgbench's per-transaction log.
// Three loads of the same length: none (idle), strata's steps, and the same
// changes as Alembic renders them, run by psql; then strata and psql again with
// a transaction that holds a lock on the table for 5 s when the migration starts.
#include "bench.hpp"
#include "raw_sql.hpp"

#include "strata/database.hpp"
#include "strata/upgrader.hpp"
#include "strata/url.hpp"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

namespace strata::bench {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::system_clock;

double now_s()
{
    return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

struct Latency {
    double p50_ms = 0, p99_ms = 0, max_ms = 0;
    std::size_t transactions = 0;
};

// The transactions of pgbench's logs that started within [from, to] (one held
// up by the migration ends after it: its wait counts).
Latency latency_between(const std::string& dir, double from, double to)
{
    std::vector<double> ms;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().filename().string().rfind("pgbench_log", 0) != 0)
            continue;
        std::ifstream in(entry.path());
        std::string line;
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            long long client = 0, number = 0, latency_us = 0, script = 0, epoch = 0, epoch_us = 0;
            if (!(fields >> client >> number >> latency_us >> script >> epoch >> epoch_us))
                continue;
            const double end = static_cast<double>(epoch) + static_cast<double>(epoch_us) / 1e6;
            const double start = end - static_cast<double>(latency_us) / 1e6;
            if (start >= from && start <= to)
                ms.push_back(static_cast<double>(latency_us) / 1000.0);
        }
    }
    if (ms.empty())
        throw std::runtime_error("online1m: pgbench logged no transaction in the measured window");
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ms.size())))]; };
    return {at(0.50), at(0.99), ms.back(), ms.size()};
}

// pgbench in the background until stop(); its log lines go to `dir`.
class Load {
public:
    Load(const std::string& conninfo, const std::string& script, const std::string& dir) : dir_(dir)
    {
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        pid_ = fork();
        if (pid_ == 0) {
            if (chdir(dir_.c_str()) != 0)
                _exit(127);
            std::freopen("/dev/null", "w", stdout);
            std::freopen("pgbench.err", "w", stderr);
            const std::string program = pg_program("pgbench");
            execl(program.c_str(), program.c_str(), "-n", "-c", "8", "-j", "2", "-T", "3600", "-l", "-f",
                  script.c_str(), conninfo.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        if (pid_ < 0)
            throw std::runtime_error("online1m: cannot start pgbench");
    }
    ~Load() { stop(); }
    Load(const Load&) = delete;
    Load& operator=(const Load&) = delete;
    // Ends pgbench; the few log lines of its last moments may be lost with it.
    void stop()
    {
        if (pid_ <= 0)
            return;
        kill(pid_, SIGINT);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
    }

private:
    std::string dir_;
    pid_t pid_ = -1;
};

constexpr auto kLockTimeout = std::chrono::milliseconds(1000);

// The five changes as strata steps 2..7 (step 1: the tables).
// Batches of 1,000 keys: an application UPDATE of a key in the batch being
// filled waits for that batch (a few ms), and 0.1% of the keys are in it.
constexpr long long kBatch = 1'000;
constexpr auto kPause = std::chrono::milliseconds(5);

void declare(Upgrader& up, const std::string& url)
{
    up.bind("app", connect(url), Schema{})
        .without_models()
        .step(1, "tables",
              [](Ops& o) {
                  o.create_table(table("owners").column(col::integer("id")).primary_key({"id"}));
                  o.create_table(table("accounts")
                                     .column(col::bigint("id"))
                                     .column(col::integer("owner_id"))
                                     .column(col::integer("balance"))
                                     .column(col::text("note").nullable())
                                     .primary_key({"id"}));
              })
        .step(2, "owner index", [](Ops& o) { o.create_index("accounts", Index{"accounts_owner", {IndexElement("owner_id")}, false, {}, {}}, true); })
        .no_transaction()
        .step(3, "constraints and score, not yet valid",
              [](Ops& o) {
                  o.execute("ALTER TABLE accounts ADD CONSTRAINT accounts_owner_fk FOREIGN KEY (owner_id) "
                            "REFERENCES owners (id) NOT VALID");
                  o.execute("ALTER TABLE accounts ADD CONSTRAINT accounts_balance_ck CHECK (balance > -1000000) NOT VALID");
                  o.execute("ALTER TABLE accounts ADD CONSTRAINT accounts_note_nn CHECK (note IS NOT NULL) NOT VALID");
                  o.execute("ALTER TABLE accounts ADD COLUMN score integer DEFAULT 0");
              })
        .step(4, "score backfill", [](Ops& o) { o.backfill("accounts", "id", "score = balance % 100", "", kBatch, kPause); })
        .step(5, "score required, not yet valid",
              [](Ops& o) { o.execute("ALTER TABLE accounts ADD CONSTRAINT accounts_score_nn CHECK (score IS NOT NULL) NOT VALID"); })
        .step(6, "validate",
              [](Ops& o) {
                  o.execute("ALTER TABLE accounts VALIDATE CONSTRAINT accounts_owner_fk");
                  o.execute("ALTER TABLE accounts VALIDATE CONSTRAINT accounts_balance_ck");
                  o.execute("ALTER TABLE accounts VALIDATE CONSTRAINT accounts_note_nn");
                  o.execute("ALTER TABLE accounts VALIDATE CONSTRAINT accounts_score_nn");
              })
        .step(7, "not null", [](Ops& o) {
            o.execute("ALTER TABLE accounts ALTER COLUMN note SET NOT NULL, ALTER COLUMN score SET NOT NULL");
            o.execute("ALTER TABLE accounts DROP CONSTRAINT accounts_note_nn, DROP CONSTRAINT accounts_score_nn");
        });
}

// The same changes as Alembic's op.* calls render them (one transaction, no NOT VALID, one UPDATE).
const char* const plain_sql = R"SQL(BEGIN;
CREATE INDEX accounts_owner ON accounts (owner_id);
ALTER TABLE accounts ADD CONSTRAINT accounts_owner_fk FOREIGN KEY (owner_id) REFERENCES owners (id);
ALTER TABLE accounts ADD COLUMN score integer DEFAULT 0;
UPDATE accounts SET score = balance % 100;
ALTER TABLE accounts ALTER COLUMN score SET NOT NULL;
ALTER TABLE accounts ALTER COLUMN note SET NOT NULL;
ALTER TABLE accounts ADD CONSTRAINT accounts_balance_ck CHECK (balance > -1000000);
COMMIT;
)SQL";

// Back to version 1 with the rows as loaded.
void reset(RawPg& db)
{
    db.exec("DROP INDEX IF EXISTS accounts_owner");
    db.exec("ALTER TABLE accounts DROP CONSTRAINT IF EXISTS accounts_owner_fk, DROP CONSTRAINT IF EXISTS "
            "accounts_balance_ck, DROP CONSTRAINT IF EXISTS accounts_note_nn, DROP CONSTRAINT IF EXISTS "
            "accounts_score_nn, DROP COLUMN IF EXISTS score, ALTER COLUMN note DROP NOT NULL");
    db.exec("DELETE FROM strata_version WHERE version > 1");
    db.exec("DROP TABLE IF EXISTS strata_progress");
    db.exec("VACUUM ANALYZE accounts");
}

struct Run {
    Latency latency;
    double seconds = 0;
};

// The load, then `migrate` one second in; the latency of what ended while it ran.
Run under_load(const std::string& conninfo, const std::string& script, const std::string& dir,
               const std::function<void()>& migrate)
{
    Load load(conninfo, script, dir);
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const double from = now_s();
    migrate();
    const double to = now_s();
    std::this_thread::sleep_for(std::chrono::seconds(2));  // what waited for the migration ends and is logged
    load.stop();
    return {latency_between(dir, from, to), to - from};
}

std::string figures(const char* what, const Run& r)
{
    char text[200];
    std::snprintf(text, sizeof text, "%s p50 %.2f p99 %.2f max %.1f ms over %.1f s", what, r.latency.p50_ms,
                  r.latency.p99_ms, r.latency.max_ms, r.seconds);
    return text;
}

}  // namespace

void online_cases(const Options& o, Report& report)
{
    if (o.series_pass || o.pg_url.empty() || !o.wants("online1m"))
        return;
    const long long rows = o.quick ? 20'000 : 1'000'000;
    const long long owners = o.quick ? 1'000 : 10'000;
    ScratchDatabase scratch(o.pg_url, "strata_bench_online");
    const std::string url = scratch.url();
    const std::string conninfo = Url::parse(url).unmasked();
    {
        Upgrader up;
        declare(up, url);
        (void)up.run(RunOptions{.target = 1});
    }
    RawPg db(url);
    db.exec("INSERT INTO owners SELECT g FROM generate_series(1, " + std::to_string(owners) + ") g");
    db.exec("INSERT INTO accounts SELECT g, 1 + g % " + std::to_string(owners) + ", 0, 'n' FROM generate_series(1, " +
            std::to_string(rows) + ") g");
    db.exec("VACUUM ANALYZE");

    const std::string dir = o.work_dir + "/online1m";
    fs::create_directories(dir);
    const std::string script = dir + "/app.sql";
    std::ofstream(script) << "\\set id random(1, " << rows << ")\n"
                          << "SELECT balance FROM accounts WHERE id = :id;\n"
                          << "UPDATE accounts SET balance = balance + 1 WHERE id = :id;\n";
    const std::string plain = dir + "/plain.sql";
    std::ofstream(plain) << plain_sql;
    const std::string psql = pg_program("psql");

    auto with_strata = [&] {
        Upgrader up;
        declare(up, url);
        RunOptions options;
        options.step_lock_timeout = kLockTimeout;
        options.lock_retries = 10;
        (void)up.run(options);
    };
    auto with_psql = [&] {
        if (run(psql, {"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-f", plain}) != 0)
            throw std::runtime_error("online1m: psql failed on the plain SQL");
    };
    // A report query's transaction, holding ACCESS SHARE on accounts for 5 s from the migration's start.
    auto holding = [&](const std::function<void()>& migrate) {
        return [&, migrate] {
            std::thread holder([&] {
                RawPg h(url);
                h.exec("BEGIN; SELECT count(*) FROM accounts WHERE id < 10; SELECT pg_sleep(5); COMMIT");
            });
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            migrate();
            holder.join();
        };
    };

    const auto idle = under_load(conninfo, script, dir + "/idle", [&] { std::this_thread::sleep_for(std::chrono::seconds(o.quick ? 2 : 10)); });
    const auto strata_run = under_load(conninfo, script, dir + "/strata", with_strata);
    reset(db);
    const auto plain_run = under_load(conninfo, script, dir + "/plain", with_psql);
    reset(db);
    const auto strata_locked = under_load(conninfo, script, dir + "/strata_locked", holding(with_strata));
    reset(db);
    const auto plain_locked = under_load(conninfo, script, dir + "/plain_locked", holding(with_psql));

    const std::string idle_text = figures("idle:", idle);
    report.cases.push_back({"online1m", "postgresql", strata_run.latency.p99_ms, idle.latency.p99_ms,
                            "p99 under strata vs idle; " + figures("strata:", strata_run) + "; " +
                                figures("plain SQL by psql:", plain_run) + "; " + idle_text});
    report.cases.push_back({"online1m_locked", "postgresql", strata_locked.latency.p99_ms, idle.latency.p99_ms,
                            "with a 5 s lock holder; " + figures("strata:", strata_locked) + "; " +
                                figures("plain SQL by psql:", plain_locked)});
}

}  // namespace strata::bench
