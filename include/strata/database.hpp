// strata::Database: an open connection to one bind's database, with its dialect.
#pragma once

#include "strata/dialect.hpp"
#include "strata/session.hpp"
#include "strata/url.hpp"

#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace strata {

class Database {
public:
    explicit Database(std::unique_ptr<Session> session);
    // Connects on first use (offline commands such as `sql` never do).
    Database(const Dialect& dialect, Url url, ConnectOptions options);
    Database(Database&&) noexcept = default;
    Database& operator=(Database&&) noexcept = default;
    ~Database();

    [[nodiscard]] Session& session();
    // The models that typed access (session().insert(row), select<T>()) maps
    // structs with, now and on a later connect. Upgrader::bind() sets its models.
    void attach_schema(const Schema* models) noexcept;
    // The bind this database serves: an error connecting on first use names it.
    // Upgrader::bind() sets it.
    void name_bind(std::string name) noexcept { bind_ = std::move(name); }
    [[nodiscard]] const Dialect& dialect() const noexcept { return *dialect_; }
    [[nodiscard]] const Url& url() const noexcept { return url_; }
    [[nodiscard]] bool connected() const noexcept { return session_ != nullptr; }
    // The live schema (strata's own tables left out).
    [[nodiscard]] Schema inspect();
    // Takes `spare` (an open session of another bind) as this database's
    // connection when it can serve this URL (Session::reuse_for) and this one
    // has not connected yet; `spare` is left empty then, untouched otherwise.
    bool reuse(std::unique_ptr<Session>& spare);
    // Gives up the open connection (none when it never connected), for reuse.
    [[nodiscard]] std::unique_ptr<Session> release_session() noexcept { return std::move(session_); }

private:
    const Dialect* dialect_;
    Url url_;
    ConnectOptions options_;
    std::unique_ptr<Session> session_;
    const Schema* models_ = nullptr;
    std::string bind_;
};

// Opens a database by URL through the backends built into this strata.
// Throws ConfigError for a malformed URL or an unknown scheme, DatabaseError
// (connection) for a server that cannot be reached, within the connect timeout.
[[nodiscard]] Database connect(std::string_view url, const ConnectOptions& options = {});
// The same, connecting on first use; a malformed URL still throws at once.
[[nodiscard]] Database defer_connect(std::string_view url, const ConnectOptions& options = {});

// The dialects built into this strata (sqlite, postgresql).
[[nodiscard]] std::span<const Dialect* const> dialects();
// By name; nullptr when it is not built in.
[[nodiscard]] const Dialect* find_dialect(std::string_view name);

}  // namespace strata
