// Scratch databases on SQLite: a file in a directory of its own under the
// temporary directory, so that its journal, lock file and snapshots go with it.
#include "log.hpp"
#include "sqlite_dialect.hpp"
#include "strata/errors.hpp"
#include "strata/url.hpp"

#include <filesystem>

namespace strata::sqlite {

Url SqliteDialect::create_scratch(const Url& like, const std::string& name) const
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto dir = fs::temp_directory_path(ec) / name;
    fs::remove_all(dir, ec);  // left by a killed process that had this pid
    if (!fs::create_directories(dir, ec) && ec)
        throw DatabaseError(DatabaseErrorKind::permission,
                            "cannot create the scratch directory '" + dir.string() + "': " + ec.message());
    Url url = like;
    url.memory = false;
    url.path = (dir / "scratch.db").string();
    url.params.erase("mode");
    return url;
}

void SqliteDialect::drop_scratch(const Url&, const Url& scratch) const noexcept
{
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::path(scratch.path).parent_path(), ec);
    if (ec)
        detail::logger().warn("could not remove the scratch database {}: {}", scratch.path, ec.message());
}

}  // namespace strata::sqlite
