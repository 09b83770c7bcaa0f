// The names of step kinds, bind actions and bind states: the words JSON, the
// version table and the logs use.
#include "strata/upgrader.hpp"

#include <ostream>

namespace strata {

std::string_view to_string(StepKind kind) noexcept
{
    switch (kind) {
    case StepKind::applied: return "applied";
    case StepKind::skipped: return "skipped";
    case StepKind::reverted: return "reverted";
    case StepKind::fresh: return "fresh";
    case StepKind::stamped: return "stamped";
    }
    return "?";
}

std::string_view to_string(BindAction action) noexcept
{
    switch (action) {
    case BindAction::fresh: return "fresh";
    case BindAction::replayed: return "replayed";
    case BindAction::upgraded: return "upgraded";
    case BindAction::up_to_date: return "up_to_date";
    case BindAction::downgraded: return "downgraded";
    case BindAction::stamped: return "stamped";
    }
    return "?";
}

std::string_view to_string(BindState state) noexcept
{
    switch (state) {
    case BindState::fresh: return "fresh";
    case BindState::ok: return "ok";
    case BindState::behind: return "behind";
    case BindState::ahead: return "ahead";
    case BindState::unversioned: return "unversioned";
    case BindState::error: return "error";
    }
    return "?";
}

std::ostream& operator<<(std::ostream& out, StepKind kind)
{
    return out << to_string(kind);
}

std::ostream& operator<<(std::ostream& out, BindAction action)
{
    return out << to_string(action);
}

std::ostream& operator<<(std::ostream& out, BindState state)
{
    return out << to_string(state);
}

}  // namespace strata
