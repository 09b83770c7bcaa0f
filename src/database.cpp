// strata::Database: a connection and its dialect.
#include "strata/database.hpp"

#include "bind_error.hpp"
#include "strata/errors.hpp"
#include "strata/inspect.hpp"

namespace strata {

Database::Database(std::unique_ptr<Session> session)
    : dialect_(&session->dialect()), url_(session->url()), session_(std::move(session))
{
}

Database::Database(const Dialect& dialect, Url url, ConnectOptions options)
    : dialect_(&dialect), url_(std::move(url)), options_(options)
{
}

Session& Database::session()
{
    if (!session_) {
        try {
            session_ = dialect_->open(url_, options_);
        } catch (const DatabaseError& e) {
            if (bind_.empty())
                throw;
            throw detail::naming_bind(e, bind_);
        }
        if (models_)
            session_->attach_schema(models_);
    }
    return *session_;
}

void Database::attach_schema(const Schema* models) noexcept
{
    models_ = models;
    if (session_)
        session_->attach_schema(models);
}

bool Database::reuse(std::unique_ptr<Session>& spare)
{
    if (session_ || !spare || &spare->dialect() != dialect_ || !spare->reuse_for(url_))
        return false;
    session_ = std::move(spare);
    session_->attach_schema(models_);
    return true;
}

Database::~Database() = default;

Schema Database::inspect()
{
    return strata::inspect(session());
}

}  // namespace strata
