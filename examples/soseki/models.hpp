// Soseki's models: the app bind (users, roles, settings, jobs, subscriptions, ...)
// and the log bind (access log, status, statistics), as they are at head.
#pragma once

#include <strata/strata.hpp>

namespace soseki {

struct Audit {
    std::int32_t id = 0;
    std::optional<std::string> by_user;
    std::optional<std::string> category;
    std::string description;
    std::optional<std::string> status;
    std::optional<strata::Timestamp> created;
};

struct Access {
    std::int32_t id = 0;
    std::optional<std::string> remote_addr;
    std::optional<std::string> method;
    std::optional<std::string> path;
    std::optional<std::int32_t> response_time;
};

strata::Schema app_models();
strata::Schema log_models();

// The numbered steps of each bind, Soseki's own history (SSKUpgrader ver1..ver8)
// split by the bind each step changes.
void app_steps(strata::BindBuilder& bind);
void log_steps(strata::BindBuilder& bind);

}  // namespace soseki
