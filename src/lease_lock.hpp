// The lease lock: for engines without advisory locks, a row in strata_lease that
// names its owner and expiry by the database's clock, renewed by a heartbeat.
// Each step's transaction checks, just before COMMIT, that it still owns an
// unexpired lease (fencing): a holder that stalled past its lease can never
// commit a step another process has taken over.
#pragma once

#include "strata/dialect.hpp"
#include "strata/session.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace strata::detail {

class LeaseLock final : public MigrationLock {
public:
    // Waits up to `timeout` for the lease of `name`; throws DatabaseError(lock_timeout).
    LeaseLock(Session& session, std::string name, std::chrono::seconds ttl, std::chrono::seconds timeout);
    ~LeaseLock() override;

    void check_held(Session& session) override;

private:
    void heartbeat();

    Session& session_;
    std::string name_;
    std::string owner_;
    std::chrono::seconds ttl_;
    std::unique_ptr<Session> heartbeat_session_;  // its own connection: the main one is busy with steps
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace strata::detail
