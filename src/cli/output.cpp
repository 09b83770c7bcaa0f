// Where the command line's output goes: data, diagnostics, colour, progress.
#include "cli_internal.hpp"

#include "json_output.hpp"
#include "log.hpp"

#include <spdlog/spdlog.h>

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
      progress_(isatty(2) && options.verbosity >= 0 && !options.json)
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

void Output::progress(const StepEvent& e)
{
    if (!progress_)
        return;
    std::string what = e.bind + ": " + (e.down ? "reverting " : "") + "step " + std::to_string(e.version) + " \"" +
                       e.description + "\"";
    if (!e.finished)
        std::cerr << "\r\x1b[2K" << what << " ..." << std::flush;
    else
        std::cerr << "\r\x1b[2K" << what << " done in " << static_cast<long long>(e.duration_ms) << " ms\n";
}

void Output::print_json(const nlohmann::json& j)
{
    std::cout << strata::detail::dump_json(j, 2) << "\n";
}
}  // namespace strata::cli::detail
