// Database URLs (SQLAlchemy's convention): parsing, masking.
#include "strata/url.hpp"

#include "strata/errors.hpp"
#include "text.hpp"

#include <charconv>

namespace strata {

namespace {

const char* const expected_forms =
    "expected sqlite:relative.db, sqlite:///relative.db, sqlite:////absolute/path.db, sqlite::memory: "
    "or postgresql://user:password@host:port/dbname";

[[noreturn]] void bad(const std::string& url, const std::string& why)
{
    throw ConfigError("malformed database URL '" + mask_passwords(url) + "': " + why + " (" + expected_forms + ")");
}

std::string percent_decode(std::string_view s, const std::string& url)
{
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%') {
            unsigned v = 0;
            if (i + 2 >= s.size() || std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16).ptr != s.data() + i + 3)
                bad(url, "invalid %-escape in '" + std::string(s) + "'");
            out += static_cast<char>(v);
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

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

void parse_query(std::string_view query, Url& url, const std::string& text)
{
    for (const auto& pair : detail::split(query, '&')) {
        if (pair.empty())
            continue;
        auto eq = pair.find('=');
        if (eq == std::string::npos)
            bad(text, "parameter '" + pair + "' has no value (write key=value)");
        url.params[percent_decode(pair.substr(0, eq), text)] = percent_decode(pair.substr(eq + 1), text);
    }
}

}  // namespace

Url Url::parse(std::string_view input)
{
    std::string text(detail::trim(input));
    Url url;
    auto colon = text.find(':');
    if (colon == std::string::npos || colon == 0)
        bad(text, "no scheme");
    std::string scheme = detail::lower(text.substr(0, colon));
    if (auto plus = scheme.find('+'); plus != std::string::npos)
        scheme.resize(plus);  // postgresql+psycopg2:// -> postgresql
    std::string rest = text.substr(colon + 1);
    std::string query;
    if (auto q = rest.find('?'); q != std::string::npos) {
        query = rest.substr(q + 1);
        rest.resize(q);
    }

    if (scheme == "sqlite" || scheme == "sqlite3") {
        url.scheme = "sqlite";
        if (rest == ":memory:" || rest == "//" || rest == "///:memory:") {
            url.memory = true;
        } else if (rest.starts_with("///")) {
            url.path = rest.substr(3);  // "////abs" leaves "/abs"
        } else if (rest.starts_with("//")) {
            bad(text, "a SQLite URL has no host part");
        } else {
            url.path = rest;
        }
        if (!url.memory && url.path.empty())
            bad(text, "no file name");
        parse_query(query, url, text);
        if (auto mode = url.param("mode"); !mode.empty() && mode != "ro" && mode != "rw" && mode != "rwc")
            bad(text, "mode must be ro, rw or rwc, not '" + mode + "'");
        return url;
    }

    if (scheme == "postgresql" || scheme == "postgres") {
        url.scheme = "postgresql";
        if (!rest.starts_with("//"))
            bad(text, "a PostgreSQL URL starts with postgresql://");
        rest = rest.substr(2);
        std::string authority = rest;
        if (auto slash = rest.find('/'); slash != std::string::npos) {
            authority = rest.substr(0, slash);
            url.database = percent_decode(rest.substr(slash + 1), text);
        }
        if (auto at = authority.rfind('@'); at != std::string::npos) {
            std::string credentials = authority.substr(0, at);
            authority = authority.substr(at + 1);
            if (auto c = credentials.find(':'); c != std::string::npos) {
                url.user = percent_decode(credentials.substr(0, c), text);
                url.password = percent_decode(credentials.substr(c + 1), text);
            } else {
                url.user = percent_decode(credentials, text);
            }
        }
        std::string port_text;
        if (authority.starts_with("[")) {  // [::1]:5432
            auto close = authority.find(']');
            if (close == std::string::npos)
                bad(text, "unclosed [ in the host");
            url.host = percent_decode(authority.substr(1, close - 1), text);  // a zone is written %25eth0
            if (!is_ipv6_literal(url.host))
                bad(text, "the host in [ ] is not an IPv6 address (brackets hold only hex digits, ':', '.' and a %zone)");
            if (close + 1 < authority.size() && authority[close + 1] == ':')
                port_text = authority.substr(close + 2);
        } else if (auto c = authority.rfind(':'); c != std::string::npos) {
            url.host = percent_decode(authority.substr(0, c), text);
            port_text = authority.substr(c + 1);
        } else {
            url.host = percent_decode(authority, text);
        }
        if (!authority.starts_with("[") && url.host.find_first_of(":@[]") != std::string::npos)
            bad(text, "the host holds ':', '@', '[' or ']' (write an IPv6 address as [::1], escape '@' in a password as %40)");
        if (!port_text.empty()) {
            auto r = std::from_chars(port_text.data(), port_text.data() + port_text.size(), url.port);
            if (r.ec != std::errc{} || r.ptr != port_text.data() + port_text.size() || url.port <= 0 || url.port > 65535)
                bad(text, "port '" + port_text + "' is not a number between 1 and 65535");
        }
        parse_query(query, url, text);
        if (auto t = url.param("connect_timeout"); !t.empty()) {
            int seconds = 0;
            auto r = std::from_chars(t.data(), t.data() + t.size(), seconds);
            if (r.ec != std::errc{} || r.ptr != t.data() + t.size() || seconds < 0)
                bad(text, "connect_timeout must be a whole number of seconds, not '" + t + "'");
        }
        return url;
    }
    bad(text, "unknown scheme '" + scheme + "' (strata knows sqlite and postgresql)");
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
    if (u.scheme == "sqlite") {
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
