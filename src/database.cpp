// strata::Database: a connection and its dialect.
#include "strata/database.hpp"

#include "strata/inspect.hpp"

namespace strata {

Database::Database(std::unique_ptr<Session> session) : session_(std::move(session)) {}

Database::~Database() = default;

Schema Database::inspect()
{
    return strata::inspect(*session_);
}

}  // namespace strata
