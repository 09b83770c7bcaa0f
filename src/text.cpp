// Small string helpers shared by the core and the backends.
#include "text.hpp"

#include <array>
#include <charconv>
#include <cmath>

namespace strata::detail {

std::string_view trim(std::string_view s) noexcept
{
    const char* ws = " \t\r\n\f\v";
    auto b = s.find_first_not_of(ws);
    if (b == std::string_view::npos)
        return {};
    auto e = s.find_last_not_of(ws);
    return s.substr(b, e - b + 1);
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string upper(std::string_view s)
{
    std::string out(s);
    for (auto& c : out)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    return out;
}

bool iequals(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = static_cast<char>(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) noexcept
{
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::string format_double(double d)
{
    if (std::isnan(d))
        return "NaN";
    if (std::isinf(d))
        return d > 0 ? "Infinity" : "-Infinity";
    std::array<char, 64> buf{};
    auto r = std::to_chars(buf.data(), buf.data() + buf.size(), d);
    std::string out(buf.data(), r.ptr);
    // Keep a float recognisable as one: 2 -> 2.0 (1e+300 already is).
    if (out.find_first_of(".eE") == std::string::npos)
        out += ".0";
    return out;
}

namespace {

std::string quoted_with(std::string_view s, char quote)
{
    std::string out;
    out.reserve(s.size() + 2);
    out += quote;
    for (char c : s) {
        if (c == quote)
            out += quote;
        out += c;
    }
    out += quote;
    return out;
}

}  // namespace

std::string single_quoted(std::string_view s) { return quoted_with(s, '\''); }
std::string double_quoted(std::string_view s) { return quoted_with(s, '"'); }

std::string hex(const Blob& b)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(b.size() * 2);
    for (auto byte : b) {
        auto v = std::to_integer<unsigned>(byte);
        out += digits[v >> 4];
        out += digits[v & 15];
    }
    return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep)
{
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i)
            out += sep;
        out += parts[i];
    }
    return out;
}

std::vector<std::string> split(std::string_view s, char sep)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        auto pos = s.find(sep, start);
        out.emplace_back(s.substr(start, pos - start));
        if (pos == std::string_view::npos)
            break;
        start = pos + 1;
    }
    return out;
}

std::uint64_t fnv1a64(std::string_view s) noexcept
{
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

std::string hex64(std::uint64_t v)
{
    static const char digits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, v >>= 4)
        out[static_cast<std::size_t>(i)] = digits[v & 15];
    return out;
}

std::string one_line(std::string_view s)
{
    std::string out;
    bool space = false;
    for (char c : trim(s)) {
        const bool ws = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (ws && !space)
            out += ' ';
        if (!ws)
            out += c;
        space = ws;
    }
    return out;
}

}  // namespace strata::detail
