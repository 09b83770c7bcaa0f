// strata::Error: message composition and password masking.
#include "strata/errors.hpp"

#include <regex>

namespace strata {

const char* to_string(ErrorCode code) noexcept
{
    switch (code) {
    case ErrorCode::model_invalid: return "model_invalid";
    case ErrorCode::config_invalid: return "config_invalid";
    case ErrorCode::connection_failed: return "connection_failed";
    case ErrorCode::database_error: return "database_error";
    case ErrorCode::in_doubt: return "in_doubt";
    case ErrorCode::lock_timeout: return "lock_timeout";
    case ErrorCode::database_newer: return "database_newer";
    case ErrorCode::unversioned: return "unversioned";
    case ErrorCode::checksum_mismatch: return "checksum_mismatch";
    case ErrorCode::irreversible: return "irreversible";
    case ErrorCode::verification_failed: return "verification_failed";
    case ErrorCode::usage: return "usage";
    }
    return "unknown";
}

namespace {

std::string compose(const std::string& message, const ErrorContext& c)
{
    std::string out = message;
    auto line = [&out](const char* label, const std::string& value) {
        if (!value.empty())
            out += std::string("\n  ") + label + ": " + value;
    };
    line("bind", c.bind);
    if (c.version)
        line("version", std::to_string(*c.version));
    line("step", c.description);
    line("table", c.table);
    line("column", c.column);
    line("sqlstate", c.sqlstate);
    if (c.sqlite_code != 0)
        line("sqlite code", std::to_string(c.sqlite_code));
    line("sql", c.sql);
    return out;
}

ErrorContext masked(ErrorContext c)
{
    c.sql = mask_passwords(std::move(c.sql));
    c.description = mask_passwords(std::move(c.description));
    return c;
}

}  // namespace

std::string mask_passwords(std::string text)
{
    // scheme://user:password@host -> scheme://user:***@host, and libpq's
    // key=value form password=secret -> password=***.
    static const std::regex url_password(R"(([A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:)[^@\s]*@)");
    static const std::regex keyword_password(R"((password\s*=\s*)('[^']*'|[^\s&]+))",
                                             std::regex::icase);
    if (text.find('@') != std::string::npos)
        text = std::regex_replace(text, url_password, "$1***@");
    if (text.find('=') != std::string::npos)
        text = std::regex_replace(text, keyword_password, "$1***");
    return text;
}

Error::Error(ErrorCode code, const std::string& message, ErrorContext context)
    : std::runtime_error(compose(mask_passwords(message), masked(context))),
      code_(code),
      message_(mask_passwords(message)),
      context_(masked(std::move(context)))
{
}

DatabaseError::DatabaseError(DatabaseErrorKind kind, const std::string& message, ErrorContext context)
    : Error(kind == DatabaseErrorKind::in_doubt       ? ErrorCode::in_doubt
            : kind == DatabaseErrorKind::connection   ? ErrorCode::connection_failed
            : kind == DatabaseErrorKind::lock_timeout ? ErrorCode::lock_timeout
                                                      : ErrorCode::database_error,
            message, std::move(context)),
      kind_(kind)
{
}

}  // namespace strata
