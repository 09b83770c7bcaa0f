// strata-bench: shared pieces of the benchmark cases (options, timing, results).
#pragma once

#include "strata/schema.hpp"
#include "strata/scratch.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace strata::bench {

struct Options {
    bool json = false;
    bool quick = false;             // small sizes, few runs: the ctest smoke run
    std::string pg_url;             // PostgreSQL server for the postgresql cases
    std::vector<std::string> cases; // empty: every case
    std::string work_dir;           // where SQLite files go
    bool series_pass = false;       // the growth series (run after the cases, for the cases' peak RSS)
    [[nodiscard]] bool wants(const std::string& name) const;
    [[nodiscard]] int runs() const { return quick ? 1 : 9; }
};

struct CaseResult {
    std::string name;
    std::string dialect;
    double strata_ms = 0;
    double baseline_ms = 0;
    std::string note;
};

struct SeriesPoint {
    int n = 0;
    double strata_ms = 0;
    double baseline_ms = 0;
};

struct Series {
    std::string name;
    std::string dialect;
    std::vector<SeriesPoint> points;
};

struct Report {
    std::vector<CaseResult> cases;
    std::vector<Series> series;
};

// Milliseconds of one call.
double time_ms(const std::function<void()>& body);
// Median of `runs` timings; `setup` runs before each timing, untimed.
double median_ms(int runs, const std::function<void()>& body, const std::function<void()>& setup = {});

struct Pair {
    double strata_ms = 0;
    double baseline_ms = 0;
};
// Medians of the baseline and strata, run in alternation so that both see the
// same background load (this machine's timings drift by tens of percent).
Pair measure(int runs, const std::function<void()>& baseline, const std::function<void()>& strata,
             const std::function<void()>& setup = {});

// The cases, by family; with options.series_pass, their growth series instead.
void introspection_cases(const Options& options, Report& report);
void upgrade_cases(const Options& options, Report& report);
void file_cases(const Options& options, Report& report);
// online1m: application latency under pgbench while a migration runs (PostgreSQL).
void online_cases(const Options& options, Report& report);
// fleet1000: 1,000 tenant schemas through 10 steps by the fleet, 8 jobs (PostgreSQL).
void fleet_cases(const Options& options, Report& report);

// The growth series drawn as an SVG chart (docs/performance.md shows it).
std::string growth_chart(const Report& report);

// n tables of 10 columns, 3 indexes and a foreign key each.
Schema wide_schema(int n, const std::string& name = "bench");


// The path of a PostgreSQL client program (pg_dump), preferring the version's own binary.
std::string pg_program(const std::string& name);
// Runs a program and waits; returns its exit code.
int run(const std::string& program, const std::vector<std::string>& args);

}  // namespace strata::bench
