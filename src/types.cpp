// Type spellings, value display and the C++ value conversions.
#include "strata/types.hpp"

#include "strata/errors.hpp"
#include "text.hpp"

#include <charconv>
#include <cstdio>

namespace strata {

std::string to_string(const Type& t)
{
    switch (t.kind) {
    case TypeKind::smallint: return "smallint";
    case TypeKind::integer: return "integer";
    case TypeKind::bigint: return "bigint";
    case TypeKind::boolean: return "boolean";
    case TypeKind::real: return "real";
    case TypeKind::double_: return "double";
    case TypeKind::numeric:
        if (t.precision == 0)
            return "numeric";
        return "numeric(" + std::to_string(t.precision) + "," + std::to_string(t.scale) + ")";
    case TypeKind::text: return "text";
    case TypeKind::varchar:
        return t.length == 0 ? "varchar" : "varchar(" + std::to_string(t.length) + ")";
    case TypeKind::blob: return "blob";
    case TypeKind::timestamp: return "timestamp";
    case TypeKind::timestamptz: return "timestamptz";
    case TypeKind::date: return "date";
    case TypeKind::json: return "json";
    case TypeKind::uuid: return "uuid";
    case TypeKind::enum_: return "enum(" + t.name + ")";
    case TypeKind::custom: return "custom(" + t.name + ")";
    }
    return "?";
}

namespace {

std::optional<std::pair<int, int>> parse_arguments(std::string_view args)
{
    int a = 0, b = 0;
    auto comma = args.find(',');
    auto first = detail::trim(args.substr(0, comma));
    if (std::from_chars(first.data(), first.data() + first.size(), a).ec != std::errc{})
        return std::nullopt;
    if (comma != std::string_view::npos) {
        auto second = detail::trim(args.substr(comma + 1));
        if (std::from_chars(second.data(), second.data() + second.size(), b).ec != std::errc{})
            return std::nullopt;
    }
    return std::pair{a, b};
}

}  // namespace

std::optional<Type> parse_type(std::string_view text)
{
    text = detail::trim(text);
    std::string_view base = text;
    std::string_view args;
    if (auto open = text.find('('); open != std::string_view::npos && text.back() == ')') {
        base = detail::trim(text.substr(0, open));
        args = text.substr(open + 1, text.size() - open - 2);
    }
    if (base == "enum" && !args.empty())
        return Type::enumeration(std::string(args));
    if (base == "custom")
        return Type::custom(std::string(args));
    if (base == "numeric") {
        if (args.empty())
            return Type::numeric();
        auto p = parse_arguments(args);
        return p ? std::optional(Type::numeric(p->first, p->second)) : std::nullopt;
    }
    if (base == "varchar") {
        if (args.empty())
            return Type::varchar();
        auto p = parse_arguments(args);
        return p ? std::optional(Type::varchar(p->first)) : std::nullopt;
    }
    if (!args.empty())
        return std::nullopt;
    static const std::pair<std::string_view, TypeKind> simple[] = {
        {"smallint", TypeKind::smallint}, {"integer", TypeKind::integer},
        {"bigint", TypeKind::bigint},     {"boolean", TypeKind::boolean},
        {"real", TypeKind::real},         {"double", TypeKind::double_},
        {"text", TypeKind::text},         {"blob", TypeKind::blob},
        {"timestamp", TypeKind::timestamp}, {"timestamptz", TypeKind::timestamptz},
        {"date", TypeKind::date},         {"json", TypeKind::json},
        {"uuid", TypeKind::uuid},
    };
    for (auto& [name, kind] : simple)
        if (base == name)
            return Type{kind};
    return std::nullopt;
}

std::string to_display(const Value& v)
{
    struct Visitor {
        std::string operator()(std::monostate) const { return "NULL"; }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const { return detail::format_double(d); }
        std::string operator()(const std::string& s) const { return detail::single_quoted(s); }
        std::string operator()(const Blob& b) const { return "x'" + detail::hex(b) + "'"; }
    };
    return std::visit(Visitor{}, v);
}

namespace detail {

void throw_value_mismatch(const Value& v, const char* wanted)
{
    throw Error(ErrorCode::usage, std::string("cannot read ") + to_display(v) + " as " + wanted);
}

std::int64_t value_as_int(const Value& v)
{
    if (auto i = std::get_if<std::int64_t>(&v))
        return *i;
    if (auto b = std::get_if<bool>(&v))
        return *b ? 1 : 0;
    if (auto s = std::get_if<std::string>(&v)) {
        std::int64_t out = 0;
        auto r = std::from_chars(s->data(), s->data() + s->size(), out);
        if (r.ec == std::errc{} && r.ptr == s->data() + s->size())
            return out;
    }
    throw_value_mismatch(v, "an integer");
}

double value_as_double(const Value& v)
{
    if (auto d = std::get_if<double>(&v))
        return *d;
    if (auto i = std::get_if<std::int64_t>(&v))
        return static_cast<double>(*i);
    if (auto s = std::get_if<std::string>(&v)) {
        double out = 0;
        auto r = std::from_chars(s->data(), s->data() + s->size(), out);
        if (r.ec == std::errc{} && r.ptr == s->data() + s->size())
            return out;
    }
    throw_value_mismatch(v, "a number");
}

}  // namespace detail

bool value_traits<bool>::from(const Value& v)
{
    if (auto b = std::get_if<bool>(&v))
        return *b;
    if (auto i = std::get_if<std::int64_t>(&v))
        return *i != 0;
    if (auto s = std::get_if<std::string>(&v)) {
        if (*s == "t" || *s == "true" || *s == "1")
            return true;
        if (*s == "f" || *s == "false" || *s == "0")
            return false;
    }
    detail::throw_value_mismatch(v, "a boolean");
}

std::string value_traits<std::string>::from(const Value& v)
{
    if (auto s = std::get_if<std::string>(&v))
        return *s;
    if (auto i = std::get_if<std::int64_t>(&v))
        return std::to_string(*i);
    if (auto d = std::get_if<double>(&v))
        return detail::format_double(*d);
    if (auto b = std::get_if<bool>(&v))
        return *b ? "true" : "false";
    detail::throw_value_mismatch(v, "text");
}

Blob value_traits<Blob>::from(const Value& v)
{
    if (auto b = std::get_if<Blob>(&v))
        return *b;
    if (auto s = std::get_if<std::string>(&v)) {
        Blob out(s->size());
        for (std::size_t i = 0; i < s->size(); ++i)
            out[i] = static_cast<std::byte>((*s)[i]);
        return out;
    }
    detail::throw_value_mismatch(v, "a blob");
}

namespace {

int read_digits(std::string_view text, std::size_t pos, std::size_t count, std::string_view what)
{
    int out = 0;
    if (pos + count > text.size())
        throw Error(ErrorCode::usage, "cannot read '" + std::string(text) + "' as " + std::string(what));
    auto r = std::from_chars(text.data() + pos, text.data() + pos + count, out);
    if (r.ec != std::errc{} || r.ptr != text.data() + pos + count)
        throw Error(ErrorCode::usage, "cannot read '" + std::string(text) + "' as " + std::string(what));
    return out;
}

}  // namespace

Date Date::parse(std::string_view text)
{
    using namespace std::chrono;
    text = detail::trim(text);
    if (text.size() < 10 || text[4] != '-' || text[7] != '-')
        throw Error(ErrorCode::usage, "cannot read '" + std::string(text) + "' as a date (YYYY-MM-DD)");
    year_month_day d{year{read_digits(text, 0, 4, "a date")},
                     month{static_cast<unsigned>(read_digits(text, 5, 2, "a date"))},
                     std::chrono::day{static_cast<unsigned>(read_digits(text, 8, 2, "a date"))}};
    if (!d.ok())
        throw Error(ErrorCode::usage, "'" + std::string(text) + "' is not a valid date");
    return {d};
}

std::string Date::to_string() const
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

Timestamp Timestamp::parse(std::string_view text)
{
    using namespace std::chrono;
    text = detail::trim(text);
    auto d = Date::parse(text.substr(0, 10));
    sys_time<microseconds> t = sys_days{d.ymd};
    std::size_t pos = 10;
    if (pos < text.size() && (text[pos] == ' ' || text[pos] == 'T')) {
        const char* what = "a timestamp (YYYY-MM-DD HH:MM:SS)";
        t += hours{read_digits(text, pos + 1, 2, what)};
        t += minutes{read_digits(text, pos + 4, 2, what)};
        t += seconds{read_digits(text, pos + 7, 2, what)};
        pos += 9;
        if (pos < text.size() && text[pos] == '.') {
            std::size_t start = ++pos;
            while (pos < text.size() && pos - start < 6 && text[pos] >= '0' && text[pos] <= '9')
                ++pos;
            int micros = read_digits(text, start, pos - start, what);
            for (std::size_t i = pos - start; i < 6; ++i)
                micros *= 10;
            t += microseconds{micros};
            while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
                ++pos;
        }
        if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
            int sign = text[pos] == '-' ? -1 : 1;
            int h = read_digits(text, pos + 1, 2, what);
            int m = 0;
            if (pos + 3 < text.size())
                m = read_digits(text, text[pos + 3] == ':' ? pos + 4 : pos + 3, 2, what);
            t -= sign * (hours{h} + minutes{m});
        }
    }
    return {t};
}

std::string Timestamp::to_string() const
{
    using namespace std::chrono;
    auto day_point = floor<days>(time);
    year_month_day ymd{day_point};
    hh_mm_ss hms{time - day_point};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d:%02d", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    std::string out = buf;
    if (auto us = hms.subseconds().count(); us != 0) {
        std::snprintf(buf, sizeof buf, ".%06d", static_cast<int>(us));
        out += buf;
    }
    return out;
}

}  // namespace strata
