// The side connection: libpq's non-blocking connect on a thread of its own, so
// that the session can drop an attempt that is not up when its results are due.
#include "side_batch.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <string>
#include <system_error>
#include <utility>

namespace strata::postgresql {

struct SideBatch::State {
    enum class Phase { connecting, running, done, dropped };
    std::mutex mutex;
    std::condition_variable changed;
    Phase phase = Phase::connecting;
    bool ok = false;
    std::vector<Result> results;
    int wake[2] = {-1, -1};  // a pipe: a byte on it ends a connection attempt

    ~State()
    {
        for (int fd : wake)
            if (fd >= 0)
                close(fd);
    }

    // Called with the mutex held.
    void drop()
    {
        phase = Phase::dropped;
        [[maybe_unused]] auto n = write(wake[1], "x", 1);
    }
};

namespace {

// The session's connection parameters (password, options with its search_path
// and time zone, SSL settings, ...), pinned to the host and address it reached:
// another host of a list, or another address of a name, could be another server.
struct Parameters {
    std::vector<std::pair<std::string, std::string>> pairs;  // keyword, value

    explicit Parameters(PGconn* session)
    {
        PQconninfoOption* options = PQconninfo(session);
        for (auto* o = options; o && o->keyword; ++o) {
            std::string_view key = o->keyword;
            if (key != "host" && key != "hostaddr" && key != "port")
                add(o->keyword, o->val);
        }
        PQconninfoFree(options);
        add("host", PQhost(session));
        add("hostaddr", PQhostaddr(session));  // empty on a Unix socket
        add("port", PQport(session));
    }

    void add(const char* keyword, const char* value)
    {
        if (value && *value)
            pairs.emplace_back(keyword, value);
    }

    // Starts a non-blocking connection with them.
    PGconn* start() const
    {
        std::vector<const char*> keywords, values;
        for (const auto& [keyword, value] : pairs) {
            keywords.push_back(keyword.c_str());
            values.push_back(value.c_str());
        }
        keywords.push_back(nullptr);
        values.push_back(nullptr);
        return PQconnectStartParams(keywords.data(), values.data(), 0);
    }
};

// Drives a connection started by PQconnectStartParams until it is up (true),
// fails or a byte comes on `wake` (false).
bool wait_until_up(PGconn* conn, int wake)
{
    if (!conn || PQstatus(conn) == CONNECTION_BAD)
        return false;
    auto status = PGRES_POLLING_WRITING;
    while (status != PGRES_POLLING_OK) {
        if (status == PGRES_POLLING_FAILED)
            return false;
        const short wanted = status == PGRES_POLLING_READING ? POLLIN : POLLOUT;
        pollfd fds[2] = {{PQsocket(conn), wanted, 0}, {wake, POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        if (fds[1].revents)
            return false;
        status = PQconnectPoll(conn);
    }
    return true;
}

void run(SideBatch::State* state, const Parameters& parameters, const std::string& sql)
{
    using Phase = SideBatch::State::Phase;
    PGconn* conn = parameters.start();
    const bool up = wait_until_up(conn, state->wake[0]);
    {
        std::lock_guard lock(state->mutex);
        if (!up || state->phase == Phase::dropped) {
            if (state->phase != Phase::dropped)
                state->phase = Phase::done;
            state->changed.notify_all();
            PQfinish(conn);
            return;
        }
        state->phase = Phase::running;
    }
    std::vector<Result> results;
    bool ok = PQsendQuery(conn, sql.c_str()) == 1;
    while (PGresult* r = PQgetResult(conn)) {
        const auto status = PQresultStatus(r);
        ok = ok && (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK);
        results.emplace_back(r);
    }
    PQfinish(conn);
    std::lock_guard lock(state->mutex);
    state->results = std::move(results);
    state->ok = ok;
    state->phase = Phase::done;
    state->changed.notify_all();
}

}  // namespace

SideBatch::SideBatch(PGconn* session, std::string sql) : state_(std::make_unique<State>())
{
    if (pipe(state_->wake) != 0)
        return;
    try {
        thread_ = std::thread([state = state_.get(), parameters = Parameters(session), sql = std::move(sql)] {
            run(state, parameters, sql);
        });
    } catch (const std::system_error&) {
        // No thread to be had: the session reads everything itself.
    }
}

SideBatch::~SideBatch()
{
    if (!thread_.joinable())
        return;
    {
        std::lock_guard lock(state_->mutex);
        if (state_->phase == State::Phase::connecting)
            state_->drop();
    }
    thread_.join();
}

bool SideBatch::done() const
{
    if (!thread_.joinable())
        return true;
    std::lock_guard lock(state_->mutex);
    return state_->phase == State::Phase::done;
}

std::optional<std::vector<Result>> SideBatch::take(bool wait_to_connect)
{
    if (!thread_.joinable())
        return std::nullopt;
    std::unique_lock lock(state_->mutex);
    if (state_->phase == State::Phase::connecting && !wait_to_connect) {
        state_->drop();
        return std::nullopt;
    }
    state_->changed.wait(lock, [&] {
        return state_->phase != State::Phase::connecting && state_->phase != State::Phase::running;
    });
    if (state_->phase != State::Phase::done || !state_->ok)
        return std::nullopt;
    return std::move(state_->results);
}

}  // namespace strata::postgresql
