// Opt-in: the soci::session behind a strata::Session, for code that wants SOCI's
// own API in a data step (it shares the step's connection and transaction).
#pragma once

#include "strata/session.hpp"

#include <soci/soci.h>

namespace strata {

[[nodiscard]] inline soci::session& soci_session(Session& session)
{
    return *static_cast<soci::session*>(session.soci_session());
}

}  // namespace strata
