// SQLite and migration: writers are serialised per transaction (BEGIN IMMEDIATE
// waits up to the busy timeout), so there is no lock to hold across steps; the
// upgrader re-reads the version inside each step's transaction instead.
#include "errors.hpp"
#include "sqlite_dialect.hpp"
#include "strata/errors.hpp"
#include "strata/session.hpp"
#include "strata/url.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace strata::sqlite {

void SqliteDialect::prepare_migration_session(Session& session, std::chrono::seconds lock_timeout) const
{
    auto* db = static_cast<sqlite3*>(session.native_handle());
    sqlite3_busy_timeout(db, static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(lock_timeout).count()));
}

std::optional<std::string> SqliteDialect::why_read_only(Session& session) const
{
    auto* db = static_cast<sqlite3*>(session.native_handle());
    if (sqlite3_db_readonly(db, "main") != 1)
        return std::nullopt;
    return "the SQLite file " + session.url().path + " is open read-only (?mode=ro in its URL, or the file is not "
           "writable by this user): drop ?mode=ro or fix the file's permissions";
}

std::unique_ptr<MigrationLock> SqliteDialect::advisory_lock(Session&, std::chrono::seconds) const
{
    return nullptr;
}

bool SqliteDialect::table_exists(Session& session, std::string_view table) const
{
    return !session.query("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", {std::string(table)}).empty();
}

bool SqliteDialect::has_tables(Session& session) const
{
    auto n = session.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
                            "ESCAPE '\\' AND name NOT IN ('strata_version', 'strata_lease', 'strata_progress')");
    return std::get<std::int64_t>(n) > 0;
}

IndexState SqliteDialect::index_state(Session& session, std::string_view index) const
{
    return session.query("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?", {std::string(index)}).empty()
               ? IndexState::absent
               : IndexState::valid;
}

std::string SqliteDialect::epoch_seconds_sql() const
{
    return "((julianday('now') - 2440587.5) * 86400.0)";
}

namespace {

// An flock() on "<file>-strata.lock": per open file, so two connections of one
// process exclude each other too; the kernel drops it when the process dies.
class FileLock final : public MigrationLock {
public:
    FileLock(const std::string& path, std::chrono::seconds timeout)
    {
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0)
            throw DatabaseError(DatabaseErrorKind::permission,
                                "cannot open the migration lock file '" + path + "': " + std::strerror(errno));
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        std::chrono::milliseconds pause{5};
        while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
            if (errno != EWOULDBLOCK && errno != EINTR) {
                int error = errno;
                ::close(fd_);
                throw DatabaseError(DatabaseErrorKind::other,
                                    "cannot lock '" + path + "': " + std::strerror(error));
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                ::close(fd_);
                throw DatabaseError(DatabaseErrorKind::lock_timeout,
                                    "another process holds the migration lock '" + path + "'; gave up after " +
                                        std::to_string(timeout.count()) + " s");
            }
            std::this_thread::sleep_for(pause);
            pause = std::min(pause * 2, std::chrono::milliseconds(200));
        }
    }
    ~FileLock() override { ::close(fd_); }  // closing releases the lock
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace

std::unique_ptr<MigrationLock> SqliteDialect::outside_transaction_lock(Session& session,
                                                                       std::chrono::seconds timeout) const
{
    const auto& url = session.url();
    if (url.memory || url.path.empty())
        return nullptr;  // no other process can open it
    return std::make_unique<FileLock>(url.path + "-strata.lock", timeout);
}

}  // namespace strata::sqlite
