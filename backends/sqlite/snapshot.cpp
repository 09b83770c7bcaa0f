// Snapshots on SQLite: before an upgrade changes a file, a copy of it as it is
// (the backup API), "<file>.v<version>.bak", the newest few kept.
#include "errors.hpp"
#include "sqlite_dialect.hpp"
#include "strata/errors.hpp"
#include "strata/session.hpp"
#include "strata/url.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <memory>

namespace strata::sqlite {

bool SqliteDialect::snapshot(Session& session, const std::string& path, const WorkCallback& progress) const
{
    // Taken inside the first step's write transaction, before it writes: other
    // writers are excluded, so a second, read-only connection sees exactly the
    // committed version (the backup API refuses to read through a connection that
    // is writing). The API copies a consistent image page by page, into a
    // temporary name renamed at the end.
    const auto& url = session.url();
    if (url.memory || url.path.empty())
        return false;
    sqlite3* source = nullptr;
    if (sqlite3_open_v2(url.path.c_str(), &source, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        std::string why = source ? sqlite3_errmsg(source) : "out of memory";
        sqlite3_close(source);
        throw DatabaseError(DatabaseErrorKind::other, "cannot read '" + url.path + "' for its backup: " + why);
    }
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> source_guard(source, sqlite3_close);
    const std::string temp = path + ".partial";
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    sqlite3* target = nullptr;
    if (sqlite3_open(temp.c_str(), &target) != SQLITE_OK) {
        std::string why = target ? sqlite3_errmsg(target) : "out of memory";
        sqlite3_close(target);
        throw DatabaseError(DatabaseErrorKind::permission, "cannot write the backup '" + temp + "': " + why);
    }
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> target_guard(target, sqlite3_close);
    // The partial file is worthless until renamed: no rollback journal for it.
    sqlite3_exec(target, "PRAGMA journal_mode = OFF", nullptr, nullptr, nullptr);
    sqlite3_backup* backup = sqlite3_backup_init(target, "main", source, "main");
    int rc = backup ? SQLITE_OK : sqlite3_errcode(target);
    // In slices, so that a large file shows how far it is (the source is not
    // written meanwhile: the step holds the write lock).
    while (backup && rc == SQLITE_OK) {
        rc = sqlite3_backup_step(backup, 1024);
        if (progress && (rc == SQLITE_OK || rc == SQLITE_DONE)) {
            const long long total = sqlite3_backup_pagecount(backup);
            progress(total - sqlite3_backup_remaining(backup), total);
        }
    }
    if (backup)
        sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
        std::filesystem::remove(temp, ec);
        throw_error(target, rc, {}, "the backup to '" + path + "' failed");
    }
    target_guard.reset();
    std::filesystem::rename(temp, path);
    return true;
}

std::string SqliteDialect::keep_snapshot(Session& session, long long version, int keep,
                                         const WorkCallback& progress) const
{
    const auto& url = session.url();
    if (keep <= 0 || url.memory || url.path.empty())
        return {};
    const std::string path = url.path + ".v" + std::to_string(version) + ".bak";
    if (!snapshot(session, path, progress))
        return {};
    namespace fs = std::filesystem;
    const fs::path file(url.path);
    const std::string prefix = file.filename().string() + ".v";
    std::vector<std::pair<fs::file_time_type, fs::path>> snapshots;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(file.parent_path().empty() ? fs::path(".") : file.parent_path(), ec)) {
        auto name = entry.path().filename().string();
        if (name.starts_with(prefix) && name.ends_with(".bak"))
            snapshots.emplace_back(entry.last_write_time(ec), entry.path());
    }
    std::sort(snapshots.begin(), snapshots.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t i = static_cast<std::size_t>(keep); i < snapshots.size(); ++i)
        fs::remove(snapshots[i].second, ec);
    return path;
}

}  // namespace strata::sqlite
