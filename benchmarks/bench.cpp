// strata-bench: options, timing and the JSON report.
#include "bench.hpp"

#include "strata/database.hpp"
#include "strata/url.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace strata::bench {

bool Options::wants(const std::string& name) const
{
    return cases.empty() || std::find(cases.begin(), cases.end(), name) != cases.end();
}

double time_ms(const std::function<void()>& body)
{
    auto start = std::chrono::steady_clock::now();
    body();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

double median_ms(int runs, const std::function<void()>& body, const std::function<void()>& setup)
{
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        if (setup)
            setup();
        times.push_back(time_ms(body));
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

Pair measure(int runs, const std::function<void()>& baseline, const std::function<void()>& strata,
             const std::function<void()>& setup)
{
    std::vector<double> ours, theirs;
    for (int i = 0; i < runs; ++i) {
        if (setup)
            setup();
        theirs.push_back(time_ms(baseline));
        if (setup)
            setup();
        ours.push_back(time_ms(strata));
    }
    std::sort(ours.begin(), ours.end());
    std::sort(theirs.begin(), theirs.end());
    return {ours[ours.size() / 2], theirs[theirs.size() / 2]};
}

std::string pg_program(const std::string& name)
{
    std::vector<std::filesystem::path> candidates;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec))
        candidates.push_back(entry.path() / "bin" / name);
    std::sort(candidates.begin(), candidates.end());
    for (auto it = candidates.rbegin(); it != candidates.rend(); ++it)
        if (std::filesystem::exists(*it))
            return it->string();
    return "/usr/bin/" + name;
}

int run(const std::string& program, const std::vector<std::string>& args)
{
    pid_t pid = fork();
    if (pid == 0) {
        std::vector<char*> argv{const_cast<char*>(program.c_str())};
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        if (!freopen("/dev/null", "w", stdout))
            _exit(126);
        execv(program.c_str(), argv.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

}  // namespace strata::bench

namespace {

const char* const help = R"(usage: strata-bench [--json] [--quick] [--pg URL] [--case NAME]...

Measures strata against the plain-SQL limit in the same run and prints, per case
and dialect, strata_ms, baseline_ms and their ratio (medians of several runs).
  --json       one JSON object: {"cases":[...],"series":[...],"peak_rss_mb":...}
  --quick      small sizes and one run (a smoke test, not a measurement)
  --pg URL     also run the PostgreSQL cases on that server (it creates databases)
  --case N     only case N (repeatable): chain300, chain300_atomic, fresh100,
               noop_startup, rebuild1m (with backup1m), introspect1000, diff1000,
               chain300_files, noop_files (the strata binary against sqlite3/psql),
               online1m (with --pg: the application's p99 latency under pgbench while
               a migration runs, against the same load idle; the plain SQL by psql
               and a run with a 5 s lock holder in the note)
               fleet1000 (with --pg: 1,000 tenant schemas x 10 steps by the fleet with 8
               jobs, against 8 libpq connections running the same script)
  --no-series  leave out the growth series (chain 100..3000 steps, 100..5000 tables)
  --svg FILE   also draw the growth series as an SVG chart in FILE

peak_rss_mb is the process's peak after the cases; series_peak_rss_mb after the
series, which hold the largest schemas.
)";

double peak_rss()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

double ratio(double s, double b)
{
    return b > 0 ? s / b : 0;
}

}  // namespace

int main(int argc, char** argv)
{
    using namespace strata::bench;
    Options options;
    bool series = true;
    std::string svg_path;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--json")
            options.json = true;
        else if (a == "--quick")
            options.quick = true;
        else if (a == "--pg" && i + 1 < argc)
            options.pg_url = argv[++i];
        else if (a == "--svg" && i + 1 < argc)
            svg_path = argv[++i];
        else if (a == "--no-series")
            series = false;
        else if (a == "--case" && i + 1 < argc)
            options.cases.emplace_back(argv[++i]);
        else if (a == "-h" || a == "--help") {
            std::cout << help;
            return 0;
        } else {
            std::cerr << "strata-bench: unknown argument '" << a << "'\n" << help;
            return 2;
        }
    }
    const std::vector<std::string> known{"chain300", "chain300_atomic", "fresh100", "noop_startup",
                                         "rebuild1m", "introspect1000", "diff1000", "chain300_files",
                                         "noop_files", "online1m", "fleet1000"};
    for (const auto& c : options.cases)
        if (std::find(known.begin(), known.end(), c) == known.end()) {
            std::cerr << "strata-bench: unknown case '" << c << "'\n" << help;
            return 2;
        }
    auto dir = std::filesystem::temp_directory_path() / ("strata-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    options.work_dir = dir.string();

    // strata logs a line per step; the measurement keeps its warnings only.
    spdlog::stderr_logger_mt("strata")->set_level(spdlog::level::warn);

    Report report;
    double peak_rss_mb = 0;
    double series_peak_rss_mb = 0;
    try {
        upgrade_cases(options, report);
        file_cases(options, report);
        introspection_cases(options, report);
        online_cases(options, report);
        fleet_cases(options, report);
        peak_rss_mb = peak_rss();
        if (series) {
            options.series_pass = true;
            upgrade_cases(options, report);
            introspection_cases(options, report);
            series_peak_rss_mb = peak_rss();
        }
    } catch (const std::exception& e) {
        std::cerr << "strata-bench: " << e.what() << "\n";
        std::filesystem::remove_all(dir);
        return 1;
    }
    std::filesystem::remove_all(dir);
    if (!svg_path.empty()) {
        std::ofstream svg(svg_path);
        svg << growth_chart(report);
        if (!svg) {
            std::cerr << "strata-bench: cannot write " << svg_path << "\n";
            return 1;
        }
    }

    if (options.json) {
        nlohmann::json cases = nlohmann::json::array();
        for (const auto& c : report.cases) {
            nlohmann::json j{{"name", c.name}, {"dialect", c.dialect}, {"strata_ms", c.strata_ms},
                             {"baseline_ms", c.baseline_ms}, {"ratio", ratio(c.strata_ms, c.baseline_ms)}};
            if (!c.note.empty())
                j["note"] = c.note;
            cases.push_back(std::move(j));
        }
        nlohmann::json series_json = nlohmann::json::array();
        for (const auto& s : report.series) {
            nlohmann::json points = nlohmann::json::array();
            for (const auto& p : s.points)
                points.push_back({{"n", p.n}, {"strata_ms", p.strata_ms}, {"baseline_ms", p.baseline_ms}});
            series_json.push_back({{"name", s.name}, {"dialect", s.dialect}, {"points", std::move(points)}});
        }
        nlohmann::json out{{"cases", std::move(cases)}, {"series", std::move(series_json)}, {"peak_rss_mb", peak_rss_mb}};
        if (series)
            out["series_peak_rss_mb"] = series_peak_rss_mb;
        std::cout << out.dump(2) << "\n";
    } else {
        std::printf("%-18s %-11s %12s %12s %8s\n", "case", "dialect", "strata ms", "baseline ms", "ratio");
        for (const auto& c : report.cases)
            std::printf("%-18s %-11s %12.2f %12.2f %8.3f%s%s\n", c.name.c_str(), c.dialect.c_str(), c.strata_ms,
                        c.baseline_ms, ratio(c.strata_ms, c.baseline_ms), c.note.empty() ? "" : "  ", c.note.c_str());
        for (const auto& s : report.series) {
            std::printf("series %s (%s):", s.name.c_str(), s.dialect.c_str());
            for (const auto& p : s.points)
                std::printf("  n=%d %.1f/%.1f ms", p.n, p.strata_ms, p.baseline_ms);
            std::printf("\n");
        }
        std::printf("peak RSS %.1f MB after the cases", peak_rss_mb);
        if (series)
            std::printf(", %.1f MB after the series", series_peak_rss_mb);
        std::printf("\n");
    }
    return 0;
}
