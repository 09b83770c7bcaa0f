// The configuration: the config file, environments, STRATA_<BIND>_URL and --bind.
#include "cli_internal.hpp"

#include "strata/errors.hpp"
#include "text.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace strata::cli {

Config Config::parse(const std::string& text, const std::string& origin)
{
    using nlohmann::json;
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {  // parse_error, or out_of_range for a number too large
        throw ConfigError("configuration " + origin + " is not valid JSON: " + e.what());
    }
    auto bad = [&](const std::string& why) { throw ConfigError("configuration " + origin + ": " + why); };
    if (!j.is_object())
        bad("the top level must be an object with \"environments\"");
    Config c;
    // "//" is a comment wherever it stands (JSON has none); init writes them.
    for (const auto& [key, value] : j.items()) {
        if (key == "//") {
            continue;
        } else if (key == "default_env") {
            if (!value.is_string())
                bad("\"default_env\" must be a string");
            c.default_env = value.get<std::string>();
        } else if (key == "environments") {
            if (!value.is_object())
                bad("\"environments\" must be an object of environments");
            for (const auto& [env, body] : value.items()) {
                if (!body.is_object() || !body.contains("binds") || !body["binds"].is_object())
                    bad("environment \"" + env + "\" needs \"binds\": {\"<bind>\": \"<url>\"}");
                c.environments[env];  // an environment of no binds: its URLs come from the environment variables
                for (const auto& [bind, url] : body["binds"].items()) {
                    if (bind == "//")
                        continue;
                    if (!url.is_string())
                        bad("environment \"" + env + "\": bind \"" + bind + "\" must be a URL string");
                    c.environments[env][bind] = url.get<std::string>();
                }
            }
        } else if (key == "options") {
            if (!value.is_object())
                bad("\"options\" must be an object");
            for (const auto& [name, v] : value.items()) {
                if (name == "//")
                    continue;
                if (name == "lock_timeout_s" && v.is_number_integer() && v.get<long long>() > 0)
                    c.lock_timeout_s = v.get<long long>();
                else if (name == "step_lock_timeout_ms" && v.is_number_integer() && v.get<long long>() >= 0)
                    c.step_lock_timeout_ms = v.get<long long>();
                else if (name == "lock_retries" && v.is_number_integer() && v.get<long long>() >= 0)
                    c.lock_retries = v.get<long long>();
                else if (name == "snapshots" && v.is_number_integer() && v.get<int>() >= 0)
                    c.snapshots = v.get<int>();
                else if (name == "strict_checksums" && v.is_boolean())
                    c.strict_checksums = v.get<bool>();
                else if (name == "strict_lint" && v.is_boolean())
                    c.strict_lint = v.get<bool>();
                else if (name == "pre_upgrade_command" && v.is_string())
                    c.pre_upgrade_command = v.get<std::string>();
                else if (name == "schema_file" && v.is_string())
                    c.schema_file = v.get<std::string>();
                else
                    bad("option \"" + name + "\" is unknown or has a wrong value (lock_timeout_s: seconds > 0, "
                        "step_lock_timeout_ms: milliseconds >= 0, lock_retries: count >= 0, snapshots: count >= 0, strict_checksums: true/false, strict_lint: true/false, pre_upgrade_command: text, schema_file: path)");
            }
        } else {
            bad("unknown field \"" + key + "\" (use default_env, environments, options)");
        }
    }
    if (!c.default_env.empty() && !c.environments.count(c.default_env))
        bad("default_env \"" + c.default_env + "\" is not one of the environments");
    return c;
}

Config Config::load(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw ConfigError("cannot read the configuration file " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return parse(s.str(), path);
}

const std::string& Environment::url(const std::string& bind) const
{
    if (auto it = urls.find(bind); it != urls.end())
        return it->second;
    if (auto it = found_.find(bind); it != found_.end())
        return it->second;
    if (const char* v = std::getenv(detail::env_var_for(bind).c_str()); v && *v)
        return found_[bind] = v;
    if (const char* v = std::getenv("DATABASE_URL"); v && *v) {
        from_database_url_.push_back(bind);
        return found_[bind] = v;
    }
    throw ConfigError("bind '" + bind + "' has no URL" + (name.empty() ? std::string() : " in environment '" + name + "'") +
                      ": give --bind " + bind + "=URL, " + detail::env_var_for(bind) +
                      ", an environment in --config, or DATABASE_URL (a project with one bind)");
}

namespace detail {

std::string env_var_for(const std::string& bind)
{
    std::string name = "STRATA_";
    for (char c : bind)
        name += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : '_';
    return name + "_URL";
}

Environment resolve_environment(const GlobalOptions& o, const Config& defaults, Config& config)
{
    config = defaults;
    if (!o.config_file.empty()) {
        auto file = Config::load(o.config_file);
        for (auto& [env, binds] : file.environments) {
            auto& urls = config.environments[env];
            for (auto& [bind, url] : binds)
                urls[bind] = url;
        }
        if (!file.default_env.empty())
            config.default_env = file.default_env;
        if (file.lock_timeout_s)
            config.lock_timeout_s = file.lock_timeout_s;
        if (file.step_lock_timeout_ms)
            config.step_lock_timeout_ms = file.step_lock_timeout_ms;
        if (file.lock_retries)
            config.lock_retries = file.lock_retries;
        if (file.snapshots)
            config.snapshots = file.snapshots;
        if (file.strict_checksums)
            config.strict_checksums = file.strict_checksums;
        if (file.strict_lint)
            config.strict_lint = file.strict_lint;
        if (!file.pre_upgrade_command.empty())
            config.pre_upgrade_command = file.pre_upgrade_command;
        if (!file.schema_file.empty())
            config.schema_file = file.schema_file;
    }
    Environment env;
    env.name = !o.env.empty() ? o.env : config.default_env;
    if (!o.env.empty() && !config.environments.count(o.env)) {
        std::vector<std::string> names;
        for (const auto& [name, _] : config.environments)
            names.push_back(name);
        throw ConfigError("unknown environment '" + o.env + "'" +
                          (names.empty() ? " (no configuration gives environments: use --config FILE)"
                                         : " (environments: " + strata::detail::join(names, ", ") + ")"));
    }
    if (auto it = config.environments.find(env.name); it != config.environments.end())
        env.urls = it->second;
    for (auto& [bind, url] : env.urls)
        if (const char* v = std::getenv(env_var_for(bind).c_str()); v && *v)
            url = v;
    for (const auto& [bind, url] : o.binds)
        env.urls[bind] = url;
    return env;
}

}  // namespace detail

}  // namespace strata::cli
