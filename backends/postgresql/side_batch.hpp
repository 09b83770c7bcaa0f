// Part of a catalog read run on a second connection to the same server while
// the session's own connection runs the rest: the server then works on two
// cores (pg_dump --jobs splits its work the same way).
#pragma once

#include "result.hpp"

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace strata::postgresql {

class SideBatch {
public:
    // Connects on a thread of its own, with the parameters `session` was opened
    // with and to the server it reached, and sends `sql` (statements separated by ';').
    SideBatch(PGconn* session, std::string sql);
    ~SideBatch();
    SideBatch(const SideBatch&) = delete;
    SideBatch& operator=(const SideBatch&) = delete;

    // The result of every statement of `sql`, in order, once all have come.
    // Nothing when the side connection could not be made or a statement
    // failed, or when it is not up yet and `wait_to_connect` is false (it is
    // dropped: a small schema is read before a connection is made): the caller
    // then runs `sql` on the session itself.
    [[nodiscard]] std::optional<std::vector<Result>> take(bool wait_to_connect);

    // Whether take() would return at once with what the side connection did.
    [[nodiscard]] bool done() const;

    struct State;

private:
    std::unique_ptr<State> state_;  // outlives the thread, which is always joined
    std::thread thread_;
};

}  // namespace strata::postgresql
