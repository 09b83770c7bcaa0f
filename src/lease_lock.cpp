// The lease lock: owner + expiry by the database clock, heartbeat, fencing.
#include "lease_lock.hpp"

#include "log.hpp"
#include "strata/errors.hpp"
#include "strata/url.hpp"
#include "version_store.hpp"

#include <random>

namespace strata::detail {

namespace {

void ensure_lease_table(Session& session)
{
    const auto& d = session.dialect();
    if (d.table_exists(session, "strata_lease"))
        return;
    try {
        session.execute("CREATE TABLE " + d.quote("strata_lease") + " (" + d.quote("name") + " " +
                        d.render_type(Type::varchar(200)) + " NOT NULL PRIMARY KEY, " + d.quote("owner") + " " +
                        d.render_type(Type::varchar(200)) + " NOT NULL, " + d.quote("expires_at") + " " +
                        d.render_type(Type::double_precision()) + " NOT NULL)");
    } catch (const DatabaseError&) {
        if (!d.table_exists(session, "strata_lease"))
            throw;  // not a race with another process creating it
    }
}

std::string unique_owner()
{
    std::random_device rd;
    return applied_by() + "/" + std::to_string(rd());
}

}  // namespace

LeaseLock::LeaseLock(Session& session, std::string name, std::chrono::seconds ttl, std::chrono::seconds timeout)
    : session_(session), name_(std::move(name)), owner_(unique_owner()), ttl_(ttl)
{
    ensure_lease_table(session_);
    const auto& d = session_.dialect();
    const std::string now = d.epoch_seconds_sql();
    const std::string take =
        "INSERT INTO \"strata_lease\" (\"name\", \"owner\", \"expires_at\") VALUES (?, ?, " + now + " + ?) "
        "ON CONFLICT (\"name\") DO UPDATE SET \"owner\" = excluded.\"owner\", \"expires_at\" = excluded.\"expires_at\" "
        "WHERE \"strata_lease\".\"expires_at\" < " + now;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::chrono::milliseconds pause{50};
    while (true) {
        session_.execute(take, {name_, owner_, static_cast<double>(ttl_.count())});
        auto holder = session_.scalar("SELECT \"owner\" FROM \"strata_lease\" WHERE \"name\" = ?", {name_});
        if (holder == Value{owner_})
            break;
        if (std::chrono::steady_clock::now() >= deadline)
            throw DatabaseError(DatabaseErrorKind::lock_timeout,
                                "another process holds the migration lease '" + name_ + "' (" +
                                    value_traits<std::string>::from(holder) + "); gave up after " +
                                    std::to_string(timeout.count()) + " s");
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(1000));
    }
    heartbeat_session_ = d.open(session_.url(), ConnectOptions{});
    thread_ = std::thread([this] { heartbeat(); });
}

LeaseLock::~LeaseLock()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable())
        thread_.join();
    try {
        session_.execute("DELETE FROM \"strata_lease\" WHERE \"name\" = ? AND \"owner\" = ?", {name_, owner_});
    } catch (const std::exception& e) {
        logger().warn("releasing the lease '{}': {}", name_, e.what());
    }
}

void LeaseLock::heartbeat()
{
    const std::string renew = "UPDATE \"strata_lease\" SET \"expires_at\" = " +
                              heartbeat_session_->dialect().epoch_seconds_sql() +
                              " + ? WHERE \"name\" = ? AND \"owner\" = ?";
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, ttl_ / 3, [this] { return stopping_; })) {
        try {
            if (heartbeat_session_->execute(renew, {static_cast<double>(ttl_.count()), name_, owner_}) == 0)
                logger().warn("the migration lease '{}' was taken over; this process's steps will not commit", name_);
        } catch (const std::exception& e) {
            logger().warn("renewing the migration lease '{}': {}", name_, e.what());
        }
    }
}

void LeaseLock::check_held(Session& session)
{
    const auto& d = session.dialect();
    // FOR UPDATE keeps the row ours until COMMIT where rows can be locked; elsewhere
    // (SQLite) the step's write transaction already excludes every other writer.
    std::string sql = "SELECT 1 FROM \"strata_lease\" WHERE \"name\" = ? AND \"owner\" = ? AND \"expires_at\" > " +
                      d.epoch_seconds_sql() + (d.capabilities().select_for_update ? " FOR UPDATE" : "");
    if (session.query(sql, {name_, owner_}).empty())
        throw DatabaseError(DatabaseErrorKind::lock_timeout,
                            "this process's migration lease '" + name_ +
                                "' expired and was taken over: the step was rolled back, nothing of it is kept");
}

}  // namespace strata::detail
