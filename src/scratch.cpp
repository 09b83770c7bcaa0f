// Scratch databases: the name is chosen here, the rest is the backend's.
#include "strata/scratch.hpp"

#include <unistd.h>

#include <atomic>

namespace strata {

namespace {

std::string scratch_name(std::string_view prefix)
{
    static std::atomic<int> counter{0};
    return std::string(prefix) + "_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
}

}  // namespace

ScratchDatabase::ScratchDatabase(std::string_view like, std::string_view prefix)
    : dialect_(nullptr), like_(Url::parse(like))
{
    dialect_ = find_dialect(like_.scheme);  // Url::parse names a built-in backend
    url_ = dialect_->create_scratch(like_, scratch_name(prefix));
    text_ = url_.unmasked();
}

ScratchDatabase::~ScratchDatabase()
{
    dialect_->drop_scratch(like_, url_);
}

Database ScratchDatabase::connect(const ConnectOptions& options) const
{
    return Database(dialect_->open(url_, options));
}

}  // namespace strata
