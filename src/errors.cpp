// strata::Error: message composition and password masking.
#include "strata/errors.hpp"

#include "bind_error.hpp"


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
    case ErrorCode::unsafe_change: return "unsafe_change";
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
    if (c.engine_code != 0)
        line("engine code", std::to_string(c.engine_code));
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

namespace {

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_scheme_char(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-';
}

// scheme://user:password@host -> scheme://user:***@host
std::string mask_url_passwords(const std::string& text)
{
    std::string out;
    std::size_t done = 0;
    for (std::size_t p = text.find("://"); p != std::string::npos; p = text.find("://", p + 3)) {
        std::size_t scheme = p;
        while (scheme > done && is_scheme_char(text[scheme - 1]))
            --scheme;
        while (scheme < p && !is_alpha(text[scheme]))
            ++scheme;
        std::size_t colon = p + 3;
        while (colon < text.size() && text[colon] != ':' && text[colon] != '/' && text[colon] != '@' && !is_space(text[colon]))
            ++colon;
        if (scheme == p || colon >= text.size() || text[colon] != ':')
            continue;
        std::size_t at = colon + 1;
        while (at < text.size() && text[at] != '@' && !is_space(text[at]))
            ++at;
        if (at >= text.size() || text[at] != '@')
            continue;
        out.append(text, done, colon + 1 - done);
        out += "***@";
        done = at + 1;
        p = at - 2;  // go on after the '@'
    }
    out.append(text, done);
    return out;
}

bool keyword_at(const std::string& text, std::size_t i, std::string_view keyword)
{
    if (i + keyword.size() > text.size())
        return false;
    for (std::size_t k = 0; k < keyword.size(); ++k) {
        char c = text[i + k];
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c + ('a' - 'A'));
        if (c != keyword[k])
            return false;
    }
    return true;
}

// libpq's key=value form: password=secret or password='se cret' -> password=***
std::string mask_keyword_passwords(const std::string& text)
{
    std::string out;
    std::size_t done = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!keyword_at(text, i, "password"))
            continue;
        std::size_t v = i + 8;
        while (v < text.size() && is_space(text[v]))
            ++v;
        if (v >= text.size() || text[v] != '=')
            continue;
        ++v;
        while (v < text.size() && is_space(text[v]))
            ++v;
        std::size_t end = v;
        if (end < text.size() && text[end] == '\'' && text.find('\'', end + 1) != std::string::npos) {
            end = text.find('\'', end + 1) + 1;
        } else {
            while (end < text.size() && !is_space(text[end]) && text[end] != '&')
                ++end;
        }
        if (end == v)
            continue;
        out.append(text, done, v - done);
        out += "***";
        done = end;
        i = end - 1;
    }
    out.append(text, done);
    return out;
}

}  // namespace

std::string mask_passwords(std::string text)
{
    if (text.find('@') != std::string::npos)
        text = mask_url_passwords(text);
    if (text.find('=') != std::string::npos)
        text = mask_keyword_passwords(text);
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

namespace detail {

DatabaseError naming_bind(const DatabaseError& e, const std::string& bind, const std::string& doing)
{
    auto context = e.context();
    context.bind = bind;
    return DatabaseError(e.kind(), "bind '" + bind + "': " + (doing.empty() ? "" : doing + " failed: ") + e.message(),
                         std::move(context));
}

}  // namespace detail

}  // namespace strata
