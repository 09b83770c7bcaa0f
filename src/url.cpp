// Database URLs (SQLAlchemy's convention): parsing, masking.
#include "strata/url.hpp"

#include "strata/errors.hpp"
#include "text.hpp"
#include "url_parts.hpp"

#include <charconv>

namespace strata {

namespace detail {

void bad_url(const std::string& text, const std::string& why, std::string_view expected)
{
    throw ConfigError("malformed database URL '" + mask_passwords(text) + "': " + why + " (expected " +
                      std::string(expected) + ")");
}

std::string percent_decode(std::string_view s, const std::string& text, std::string_view expected)
{
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%') {
            unsigned v = 0;
            if (i + 2 >= s.size() || std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16).ptr != s.data() + i + 3)
                bad_url(text, "invalid %-escape in '" + std::string(s) + "'", expected);
            out += static_cast<char>(v);
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

namespace {

// The characters an IPv6 literal may hold, with a %zone such as %eth0.
bool is_ipv6_literal(std::string_view host)
{
    auto zone = host.find('%');
    for (std::size_t i = 0; i < host.size(); ++i) {
        auto c = static_cast<unsigned char>(host[i]);
        bool ok = i > zone ? std::isalnum(c) || c == '-' || c == '_' || c == '.'
                           : std::isxdigit(c) || c == ':' || c == '.';
        if (!ok && i != zone)
            return false;
    }
    return !host.empty();
}

}  // namespace

void parse_server_authority(std::string_view rest_view, Url& url, const std::string& text, std::string_view expected)
{
    std::string rest(rest_view);
    std::string authority = rest;
    if (auto slash = rest.find('/'); slash != std::string::npos) {
        authority = rest.substr(0, slash);
        url.database = percent_decode(rest.substr(slash + 1), text, expected);
    }
    if (auto at = authority.rfind('@'); at != std::string::npos) {
        std::string credentials = authority.substr(0, at);
        authority = authority.substr(at + 1);
        if (auto c = credentials.find(':'); c != std::string::npos) {
            url.user = percent_decode(credentials.substr(0, c), text, expected);
            url.password = percent_decode(credentials.substr(c + 1), text, expected);
        } else {
            url.user = percent_decode(credentials, text, expected);
        }
    }
    std::string port_text;
    if (authority.starts_with("[")) {  // [::1]:5432
        auto close = authority.find(']');
        if (close == std::string::npos)
            bad_url(text, "unclosed [ in the host", expected);
        url.host = percent_decode(authority.substr(1, close - 1), text, expected);  // a zone is written %25eth0
        if (!is_ipv6_literal(url.host))
            bad_url(text, "the host in [ ] is not an IPv6 address (brackets hold only hex digits, ':', '.' and a %zone)",
                    expected);
        if (close + 1 < authority.size() && authority[close + 1] == ':')
            port_text = authority.substr(close + 2);
    } else if (auto c = authority.rfind(':'); c != std::string::npos) {
        url.host = percent_decode(authority.substr(0, c), text, expected);
        port_text = authority.substr(c + 1);
    } else {
        url.host = percent_decode(authority, text, expected);
    }
    if (!authority.starts_with("[") && url.host.find_first_of(":@[]") != std::string::npos)
        bad_url(text,
                "the host holds ':', '@', '[' or ']' (write an IPv6 address as [::1], escape '@' in a password as %40)",
                expected);
    if (!port_text.empty()) {
        auto r = std::from_chars(port_text.data(), port_text.data() + port_text.size(), url.port);
        if (r.ec != std::errc{} || r.ptr != port_text.data() + port_text.size() || url.port <= 0 || url.port > 65535)
            bad_url(text, "port '" + port_text + "' is not a number between 1 and 65535", expected);
    }
}

void expect_whole_number(const Url& url, const std::string& key, const std::string& text, std::string_view expected)
{
    auto value = url.param(key);
    if (value.empty())
        return;
    int n = 0;
    auto r = std::from_chars(value.data(), value.data() + value.size(), n);
    if (r.ec != std::errc{} || r.ptr != value.data() + value.size() || n < 0)
        bad_url(text, key + " must be a whole number, not '" + value + "'", expected);
}

}  // namespace detail

namespace {

std::string percent_encode(std::string_view s)
{
    static const char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
            out += static_cast<char>(c);
        else {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 15];
        }
    }
    return out;
}

}  // namespace

void detail::parse_url_query(std::string_view query, Url& url, const std::string& text, std::string_view expected)
{
    for (const auto& pair : detail::split(query, '&')) {
        if (pair.empty())
            continue;
        auto eq = pair.find('=');
        if (eq == std::string::npos)
            detail::bad_url(text, "parameter '" + pair + "' has no value (write key=value)", expected);
        url.params[detail::percent_decode(pair.substr(0, eq), text, expected)] =
            detail::percent_decode(pair.substr(eq + 1), text, expected);
    }
}

std::string Url::param(const std::string& key, std::string fallback) const
{
    auto it = params.find(key);
    return it == params.end() ? fallback : it->second;
}

namespace {

std::string render(const Url& u, bool mask)
{
    std::string out = u.scheme + ":";
    if (u.memory || !u.path.empty()) {  // a database in a file
        if (u.memory)
            out += ":memory:";
        else
            out += u.path.starts_with("/") ? "///" + u.path : u.path;
    } else {
        out += "//";
        if (!u.user.empty() || !u.password.empty()) {
            out += percent_encode(u.user);
            if (!u.password.empty())
                out += ":" + (mask ? std::string("***") : percent_encode(u.password));
            out += "@";
        }
        if (u.host.find(':') != std::string::npos)  // IPv6, its zone escaped as %25
            out += "[" + detail::join(detail::split(u.host, '%'), "%25") + "]";
        else
            out += percent_encode(u.host);
        if (u.port)
            out += ":" + std::to_string(u.port);
        out += "/" + percent_encode(u.database);
    }
    bool first = true;
    for (const auto& [k, v] : u.params) {
        out += first ? "?" : "&";
        first = false;
        bool secret = detail::iequals(k, "password");
        out += percent_encode(k) + "=" + (secret && mask ? "***" : percent_encode(v));
    }
    return out;
}

}  // namespace

std::string Url::masked() const
{
    return render(*this, true);
}

std::string Url::unmasked() const
{
    return render(*this, false);
}

}  // namespace strata
