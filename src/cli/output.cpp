// Where the command line's output goes: data, diagnostics, colour, progress.
#include "cli_internal.hpp"

#include "json_output.hpp"
#include "log.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <unistd.h>

namespace strata::cli::detail {

void set_verbosity(int verbosity)
{
    auto& logger = strata::detail::logger();
    // The commands print their own results; the per-step log lines show with -v.
    logger.set_level(verbosity < 0 ? spdlog::level::err : verbosity > 0 ? spdlog::level::debug : spdlog::level::warn);
}

Output::Output(const GlobalOptions& options)
    : json_(options.json),
      quiet_(options.verbosity < 0),
      colour_(isatty(1) && !std::getenv("NO_COLOR")),
      terminal_(isatty(2))
{
}

std::ostream& Output::out()
{
    return std::cout;
}

void Output::note(const std::string& text)
{
    if (!quiet_)
        std::cerr << text << "\n";
}

void Output::warn(const std::string& text)
{
    std::cerr << "warning: " << text << "\n";
}

std::string Output::paint(const std::string& text, const char* colour) const
{
    if (!colour_)
        return text;
    return std::string("\x1b[") + colour + "m" + text + "\x1b[0m";
}

std::string Output::how_far(long long done, long long total, const std::string& unit, Clock::time_point since)
{
    const double seconds = std::chrono::duration<double>(Clock::now() - since).count();
    std::string text = std::to_string(done) + (total > 0 ? "/" + std::to_string(total) : "") + " " + unit;
    if (seconds < 0.5 || done <= 0)
        return text;
    const double rate = static_cast<double>(done) / seconds;
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, ", %.1f/s", rate);
    text += buffer;
    if (total > done)
        text += ", about " + std::to_string(static_cast<long long>((static_cast<double>(total - done) / rate) + 0.5)) +
                " s left";
    return text;
}

Output::Clock::time_point Output::started(const std::string& activity)
{
    return started_.try_emplace(activity, Clock::now()).first->second;
}

void Output::show(const std::string& line, bool finished)
{
    if (quiet_ || json_)
        return;
    if (terminal_) {
        std::cerr << "\r\x1b[2K" << line << (finished ? "\n" : "") << std::flush;
        return;
    }
    // A log, not a terminal: a line every few seconds, and none for quick work.
    const auto now = Clock::now();
    if (now - last_log_ >= std::chrono::seconds(3)) {
        last_log_ = now;
        std::cerr << line << "\n";
    }
}

void Output::progress(const StepEvent& e)
{
    const auto since = started(e.bind + (e.down ? ": reverting steps" : ": steps"));
    const std::string what = e.bind + ": " + (e.down ? "reverting " : "") + "step " + std::to_string(e.version) +
                             " \"" + e.description + "\"";
    const std::string unit = e.down ? "steps reverted" : "steps done";
    if (!e.finished)
        show(what + " ... (" + how_far(e.position - 1, e.count, unit, since) + ")", false);
    else if (terminal_)
        show(what + " done in " + std::to_string(static_cast<long long>(e.duration_ms)) + " ms", true);
    else if (e.count == 0 || e.position < e.count)
        show(e.bind + ": " + how_far(e.position, e.count, unit, since), false);
}

void Output::work(const WorkProgress& e)
{
    const std::string activity = e.bind + ": " + e.what;
    const auto since = started(activity);
    const bool finished = e.total > 0 && e.done >= e.total;
    show(activity + ": " + how_far(e.done, e.total, e.unit, since), finished && terminal_);
}

void Output::print_json(const nlohmann::json& j)
{
    std::cout << strata::detail::dump_json(j, 2) << "\n";
}
}  // namespace strata::cli::detail
