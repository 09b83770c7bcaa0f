// The words of a command line: global options, a command's own flags, versions.
#include "cli_internal.hpp"

#include "strata/errors.hpp"

#include <algorithm>
#include <charconv>

namespace strata::cli::detail {

// One global option at words[i] (moving i past its value); false when words[i]
// is not one. -h/--help and --version are the caller's.
bool take_global_option(const std::vector<std::string>& words, std::size_t& i, GlobalOptions& o)
{
    const std::string& w = words[i];
    std::string flag = w, inline_value;
    bool has_inline = false;
    if (auto eq = w.find('='); w.starts_with("--") && eq != std::string::npos) {
        flag = w.substr(0, eq);
        inline_value = w.substr(eq + 1);
        has_inline = true;
    }
    auto take = [&](const std::string& f) {
        if (has_inline)
            return inline_value;
        if (i + 1 >= words.size())
            throw UsageError(f + " needs a value (see --help)");
        return words[++i];
    };
    if (flag == "--dir")
        o.dir = take(flag);
    else if (flag == "--json" && !has_inline)
        o.json = true;
    else if (flag == "--config")
        o.config_file = take(flag);
    else if (flag == "--env")
        o.env = take(flag);
    else if (flag == "--bind") {
        auto spec = take(flag);
        auto eq = spec.find('=');
        if (eq == 0 || spec.empty())
            throw UsageError("--bind takes NAME=URL, not '" + mask_passwords(spec) + "'");
        // NAME alone only names a bind for init; any other command refuses it below.
        if (eq == std::string::npos)
            o.binds.emplace_back(spec, "");
        else
            o.binds.emplace_back(spec.substr(0, eq), spec.substr(eq + 1));
    } else if (flag == "--only")
        o.only.push_back(take(flag));
    else if (flag == "--lock-timeout") {
        auto text = take(flag);
        long long seconds = 0;
        auto r = std::from_chars(text.data(), text.data() + text.size(), seconds);
        if (r.ec != std::errc{} || r.ptr != text.data() + text.size() || seconds <= 0)
            throw UsageError("--lock-timeout takes whole seconds > 0, not '" + text + "'");
        o.lock_timeout_s = seconds;
    } else if (flag == "--step-lock-timeout" || flag == "--lock-retries") {
        auto text = take(flag);
        long long n = 0;
        auto r = std::from_chars(text.data(), text.data() + text.size(), n);
        if (r.ec != std::errc{} || r.ptr != text.data() + text.size() || n < 0 || n > 86'400'000)
            throw UsageError(flag + (flag == "--lock-retries" ? " takes a count >= 0" : " takes milliseconds >= 0 (0: no bound)") +
                             ", not '" + text + "'");
        (flag == "--lock-retries" ? o.lock_retries : o.step_lock_timeout_ms) = n;
    } else if (flag == "--scratch-url")
        o.scratch_url = take(flag);
    else if (w == "-v" || w == "--verbose")
        o.verbosity = 1;
    else if (w == "-q" || w == "--quiet")
        o.verbosity = -1;
    else
        return false;
    return true;
}

GlobalOptions parse_global(const std::vector<std::string>& words)
{
    GlobalOptions o;
    std::size_t i = 0;
    for (; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (take_global_option(words, i, o))
            continue;
        if (w == "-h" || w == "--help")
            o.help = true;
        else if (w == "--version") {
            o.command = "--version";
            return o;
        } else if (w.starts_with("-"))
            throw UsageError("unknown option '" + w + "' (see --help)");
        else
            break;
    }
    if (i < words.size()) {
        o.command = words[i++];
        // Global options may also follow the command (`status --json`); the rest
        // are the command's own.
        for (; i < words.size(); ++i)
            if (!take_global_option(words, i, o))
                o.args.push_back(words[i]);
    }
    for (const auto& [name, url] : o.binds)
        if (url.empty() && o.command != "init")
            throw UsageError("--bind takes NAME=URL, not '" + name + "'");
    return o;
}

RunOptions run_options_of(const GlobalOptions& o, const Config& config)
{
    RunOptions r;
    if (config.lock_timeout_s)
        r.lock_timeout = std::chrono::seconds(*config.lock_timeout_s);
    if (o.lock_timeout_s)
        r.lock_timeout = std::chrono::seconds(*o.lock_timeout_s);
    if (auto ms = o.step_lock_timeout_ms ? o.step_lock_timeout_ms : config.step_lock_timeout_ms)
        r.step_lock_timeout = std::chrono::milliseconds(*ms);
    if (auto n = o.lock_retries ? o.lock_retries : config.lock_retries)
        r.lock_retries = static_cast<int>(*n);
    if (config.snapshots)
        r.snapshots = *config.snapshots;
    if (config.strict_checksums)
        r.strict_checksums = *config.strict_checksums;
    if (config.strict_lint)
        r.strict_lint = *config.strict_lint;
    r.pre_upgrade_command = config.pre_upgrade_command;
    r.only = o.only;
    return r;
}

Args::Args(const std::vector<std::string>& words, const std::vector<std::string>& with_value,
           const std::vector<std::string>& alone, const std::string& command)
    : command_(command)
{
    for (std::size_t i = 0; i < words.size(); ++i) {
        const auto& w = words[i];
        std::string flag = w, v;
        bool inline_value = false;
        if (auto eq = w.find('='); w.starts_with("--") && eq != std::string::npos) {
            flag = w.substr(0, eq);
            v = w.substr(eq + 1);
            inline_value = true;
        }
        if (std::find(with_value.begin(), with_value.end(), flag) != with_value.end()) {
            if (!inline_value) {
                if (i + 1 >= words.size())
                    throw UsageError(flag + " needs a value");
                v = words[++i];
            }
            flags_.emplace_back(flag, v);
        } else if (std::find(alone.begin(), alone.end(), w) != alone.end()) {
            flags_.emplace_back(w, "");
        } else if (w.starts_with("-") && w.size() > 1 && !(w[1] >= '0' && w[1] <= '9')) {
            throw UsageError("unknown option '" + w + "' for " + command + " (see " + command + " --help)");
        } else {
            positional_.push_back(w);
        }
    }
}

bool Args::has(const std::string& flag) const
{
    return std::any_of(flags_.begin(), flags_.end(), [&](const auto& f) { return f.first == flag; });
}

std::optional<std::string> Args::value(const std::string& flag) const
{
    for (auto it = flags_.rbegin(); it != flags_.rend(); ++it)
        if (it->first == flag)
            return it->second;
    return std::nullopt;
}

std::vector<std::string> Args::values(const std::string& flag) const
{
    std::vector<std::string> out;
    for (const auto& f : flags_)
        if (f.first == flag)
            out.push_back(f.second);
    return out;
}

long long Args::number(const std::string& flag) const
{
    auto v = value(flag);
    if (!v)
        throw UsageError(command_ + " needs " + flag + " N");
    return parse_version(*v, flag);
}

long long parse_version(const std::string& text, const std::string& what)
{
    long long v = 0;
    auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec != std::errc{} || r.ptr != text.data() + text.size() || v < 0)
        throw UsageError(what + " takes a version number (0, 1, 2, ...), not '" + text + "'");
    return v;
}
}  // namespace strata::cli::detail
