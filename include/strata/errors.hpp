// strata::Error and its few subclasses: one root, kinds by what the caller can do.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace strata {

// Stable codes: tools and tests match on these, never on message text.
enum class ErrorCode {
    model_invalid,       // the declared schema or steps are wrong (fix the code)
    config_invalid,      // URL, config file, command line (fix the invocation)
    connection_failed,   // server unreachable, authentication, file cannot be opened
    database_error,      // a statement failed
    in_doubt,            // the connection broke during COMMIT: outcome unknown
    lock_timeout,        // another process held the migration lock too long
    database_newer,      // the database is at a version this program does not know
    unversioned,         // tables exist but no version history: stamp it
    checksum_mismatch,   // a recorded step differs from the program's step (strict mode)
    unsafe_change,       // a pending step is unsafe on a live database (lint, strict mode)
    irreversible,        // a downgrade needs a step that has no down ops
    verification_failed, // check/verify/diff found differences
    usage,               // API misuse (a bug in the caller)
};

[[nodiscard]] const char* to_string(ErrorCode code) noexcept;

// What the error is about. Every field is optional; what() names those that are set.
struct ErrorContext {
    std::string bind;
    std::optional<long long> version;
    std::string description;  // the step's description
    std::string table;
    std::string column;
    std::string sql;          // the failing statement
    std::string sqlstate;     // PostgreSQL SQLSTATE, five characters
    int engine_code = 0;      // the engine's own code where it has no SQLSTATE (SQLite: extended result code)
};

class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message, ErrorContext context = {});

    [[nodiscard]] ErrorCode code() const noexcept { return code_; }
    [[nodiscard]] const ErrorContext& context() const noexcept { return context_; }
    // The message without the context lines.
    [[nodiscard]] const std::string& message() const noexcept { return message_; }

private:
    ErrorCode code_;
    std::string message_;
    ErrorContext context_;
};

// The declared models or steps are invalid; nothing was touched (CLI exit 2).
class ModelError : public Error {
public:
    explicit ModelError(const std::string& message, ErrorContext context = {})
        : Error(ErrorCode::model_invalid, message, std::move(context)) {}
};

// URL, configuration or command line is wrong (CLI exit 2).
class ConfigError : public Error {
public:
    explicit ConfigError(const std::string& message, ErrorContext context = {})
        : Error(ErrorCode::config_invalid, message, std::move(context)) {}
};

// What a caller can do about a failed statement: the portable category of the
// native code, which stays available as data in the context.
enum class DatabaseErrorKind {
    connection,     // reconnect
    in_doubt,       // re-read the version: the commit may or may not have happened
    retryable,      // serialization failure, deadlock, busy: run again
    constraint,     // a row violates a constraint
    schema,         // syntax error, unknown table or column, duplicate object
    permission,     // the role or file lacks a privilege
    lock_timeout,   // a lock could not be acquired in time
    other,
};

class DatabaseError : public Error {
public:
    DatabaseError(DatabaseErrorKind kind, const std::string& message, ErrorContext context = {});
    [[nodiscard]] DatabaseErrorKind kind() const noexcept { return kind_; }

private:
    DatabaseErrorKind kind_;
};

// Masks the password of every URL-looking substring ("scheme://user:pw@host").
// Errors apply it when built, so no message can carry a password.
[[nodiscard]] std::string mask_passwords(std::string text);

}  // namespace strata
