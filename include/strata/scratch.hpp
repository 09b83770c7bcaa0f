// strata::ScratchDatabase: a throwaway database of any backend, for replaying
// steps (check, verify), tests and benchmarks.
#pragma once

#include "strata/database.hpp"

#include <string>
#include <string_view>

namespace strata {

// Created empty by the constructor, dropped with everything in it by the
// destructor. Where it lives is the backend's choice: a file engine puts it in
// the temporary directory, a server engine creates it on the server `like`
// points at (the role there needs CREATEDB).
class ScratchDatabase {
public:
    // A database of like's backend, named `prefix` plus this process and a
    // counter, with like's parameters (a bind's ?schema= stays). Throws
    // ConfigError for a bad URL, DatabaseError when it cannot be created.
    explicit ScratchDatabase(std::string_view like, std::string_view prefix = "strata_scratch");
    ~ScratchDatabase();
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;

    // Its URL for connect(), password included (keep it out of logs).
    [[nodiscard]] const std::string& url() const noexcept { return text_; }
    // The database's name on its server, or its file.
    [[nodiscard]] const std::string& name() const noexcept { return url_.path.empty() ? url_.database : url_.path; }
    [[nodiscard]] Database connect(const ConnectOptions& options = {}) const;

private:
    const Dialect* dialect_;
    Url like_;
    Url url_;
    std::string text_;
};

}  // namespace strata
