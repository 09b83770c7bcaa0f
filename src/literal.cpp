// Literal values in defaults: coercion to a column type and parsing engine text.
#include "literal.hpp"

#include "sql_tokenizer.hpp"
#include "text.hpp"

#include <charconv>
#include <cmath>

namespace strata::detail {

namespace {

std::optional<std::int64_t> to_int(std::string_view s)
{
    s = trim(s);
    if (!s.empty() && s.front() == '+')
        s.remove_prefix(1);
    std::int64_t v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc{} || r.ptr != s.data() + s.size() || s.empty())
        return std::nullopt;
    return v;
}

std::optional<double> to_double(std::string_view s)
{
    s = trim(s);
    if (!s.empty() && s.front() == '+')
        s.remove_prefix(1);
    double v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc{} || r.ptr != s.data() + s.size() || s.empty())
        return std::nullopt;
    return v;
}

std::optional<Blob> from_hex(std::string_view s)
{
    if (s.starts_with("\\x"))
        s.remove_prefix(2);
    if (s.size() % 2)
        return std::nullopt;
    Blob out;
    out.reserve(s.size() / 2);
    for (std::size_t i = 0; i < s.size(); i += 2) {
        unsigned v = 0;
        auto r = std::from_chars(s.data() + i, s.data() + i + 2, v, 16);
        if (r.ec != std::errc{} || r.ptr != s.data() + i + 2)
            return std::nullopt;
        out.push_back(static_cast<std::byte>(v));
    }
    return out;
}

bool is_float_type(TypeKind k)
{
    return k == TypeKind::real || k == TypeKind::double_ || k == TypeKind::numeric;
}

bool is_string_type(TypeKind k)
{
    switch (k) {
    case TypeKind::text: case TypeKind::varchar: case TypeKind::enum_: case TypeKind::json:
    case TypeKind::uuid: case TypeKind::date: case TypeKind::timestamp: case TypeKind::timestamptz:
        return true;
    default:
        return false;
    }
}

}  // namespace

Value coerce_literal(const Value& value, const Type& type)
{
    if (is_null(value))
        return value;
    const auto k = type.kind;
    if (type.is_integer()) {
        if (auto d = std::get_if<double>(&value); d && std::floor(*d) == *d && std::abs(*d) < 9.2e18)
            return static_cast<std::int64_t>(*d);
        if (auto s = std::get_if<std::string>(&value))
            if (auto i = to_int(*s))
                return *i;
        if (auto b = std::get_if<bool>(&value))  // SQLite's TRUE and FALSE are the integers 1 and 0
            return std::int64_t{*b ? 1 : 0};
        return value;
    }
    if (k == TypeKind::boolean) {
        if (auto i = std::get_if<std::int64_t>(&value); i && (*i == 0 || *i == 1))
            return *i == 1;
        if (auto s = std::get_if<std::string>(&value)) {
            auto l = lower(trim(*s));
            if (l == "t" || l == "true" || l == "1" || l == "yes" || l == "on")
                return true;
            if (l == "f" || l == "false" || l == "0" || l == "no" || l == "off")
                return false;
        }
        return value;
    }
    if (k == TypeKind::numeric) {  // exact: a whole number stays one (DEFAULT 0 is not DEFAULT 0.0)
        if (auto s = std::get_if<std::string>(&value)) {
            if (auto i = to_int(*s))
                return *i;
            if (auto d = to_double(*s))
                return *d;
        }
        return value;
    }
    if (is_float_type(k)) {
        if (auto i = std::get_if<std::int64_t>(&value))
            return static_cast<double>(*i);
        if (auto s = std::get_if<std::string>(&value))
            if (auto d = to_double(*s))
                return *d;
        return value;
    }
    if (is_string_type(k)) {
        if (auto i = std::get_if<std::int64_t>(&value))
            return std::to_string(*i);
        if (auto d = std::get_if<double>(&value))
            return format_double(*d);
        return value;
    }
    if (k == TypeKind::blob) {
        if (auto s = std::get_if<std::string>(&value))
            if (auto b = from_hex(*s))
                return *b;
        return value;
    }
    return value;
}

std::optional<std::string> literal_misfit(const Value& value, const Type& type)
{
    if (is_null(value) || type.kind == TypeKind::custom)
        return std::nullopt;
    const auto k = type.kind;
    auto fits = [&]() -> bool {
        if (type.is_integer())
            return std::holds_alternative<std::int64_t>(value);
        if (k == TypeKind::boolean)
            return std::holds_alternative<bool>(value);
        if (is_float_type(k))
            return std::holds_alternative<double>(value);
        if (k == TypeKind::blob)
            return std::holds_alternative<Blob>(value);
        return std::holds_alternative<std::string>(value);
    };
    if (!fits())
        return "default " + to_display(value) + " does not fit type " + to_string(type);
    if (auto s = std::get_if<std::string>(&value)) {
        if (k == TypeKind::varchar && type.length > 0 && static_cast<int>(s->size()) > type.length)
            return "default " + to_display(value) + " is longer than " + to_string(type);
        try {
            if (k == TypeKind::date)
                (void)Date::parse(*s);
            else if (k == TypeKind::timestamp || k == TypeKind::timestamptz)
                (void)Timestamp::parse(*s);
        } catch (const std::exception&) {
            return "default " + to_display(value) + " is not a valid " + to_string(type) +
                   " (write YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)";
        }
        if (k == TypeKind::uuid && s->size() != 36)
            return "default " + to_display(value) + " is not a UUID (36 characters, 8-4-4-4-12)";
    }
    return std::nullopt;
}

namespace {

bool is_now(const std::vector<Token>& t)
{
    if (t.size() == 1)
        return t[0].is_word("current_timestamp") || t[0].is_word("localtimestamp");
    // now(), CURRENT_TIMESTAMP(6), transaction_timestamp(), datetime('now')
    if (t.size() >= 3 && t[1].is_punct('(') && t.back().is_punct(')')) {
        if (t[0].is_word("now") || t[0].is_word("transaction_timestamp") || t[0].is_word("current_timestamp") ||
            t[0].is_word("localtimestamp"))
            return t.size() == 3 || (t.size() == 4 && t[2].kind == TokenKind::number);
        if (t[0].is_word("datetime") && t.size() == 4 && t[2].kind == TokenKind::string)
            return unquote_string(t[2].text) == "now";
    }
    return false;
}

}  // namespace

std::optional<Default> parse_default(std::string_view text, const Type& type)
{
    auto body = trim(text);
    // Grouping parentheses around the whole default: "(CURRENT_TIMESTAMP)", "((0))".
    while (body.size() >= 2 && body.front() == '(' && body.back() == ')') {
        int depth = 0;
        bool wraps = true;
        for (std::size_t i = 0; i < body.size(); ++i) {
            if (body[i] == '(')
                ++depth;
            else if (body[i] == ')' && --depth == 0 && i + 1 < body.size()) {
                wraps = false;
                break;
            }
        }
        if (!wraps)
            break;
        body = trim(body.substr(1, body.size() - 2));
    }
    TokenizerOptions options;
    options.brackets = false;
    // Introspection reads thousands of defaults: reuse the token buffer.
    thread_local std::vector<Token> value;
    tokenize_into(value, body, options);
    // Drop a trailing cast: 'x'::character varying, '-1'::integer, '{}'::jsonb.
    const std::size_t all = value.size();
    for (std::size_t i = 0; i < value.size(); ++i)
        if (value[i].kind == TokenKind::op && value[i].text == "::") {
            value.resize(i);
            break;
        }
    // A cast of a cast, ('now'::text)::date, converts when a row is written, not
    // once when the table is made: an expression, never the literal inside it.
    if (value.size() >= 2 && value.front().is_punct('(') && value.size() < all)
        return Default::expression(std::string(body));

    if (value.size() == 1 && value[0].is_word("null"))
        return std::nullopt;
    if (is_now(value))
        return Default::now();
    if (value.size() == 1 && value[0].is_word("current_date"))
        return Default::current_date();
    if (value.size() == 1 && (value[0].is_word("true") || value[0].is_word("false")))
        return Default::literal(coerce_literal(value[0].is_word("true"), type));
    if (value.size() == 1 && value[0].kind == TokenKind::string) {
        auto raw = value[0].text;
        if (raw.size() > 1 && (raw[0] == 'X' || raw[0] == 'x') && raw[1] == '\'') {
            if (auto b = from_hex(raw.substr(2, raw.size() - 3)))
                return Default::literal(*b);
        }
        return Default::literal(coerce_literal(unquote_string(raw), type));
    }
    // A number, possibly signed.
    std::string number;
    if (value.size() == 2 && value[0].kind == TokenKind::op && (value[0].text == "-" || value[0].text == "+") &&
        value[1].kind == TokenKind::number)
        number = std::string(value[0].text) + std::string(value[1].text);
    else if (value.size() == 1 && value[0].kind == TokenKind::number)
        number = std::string(value[0].text);
    if (!number.empty()) {
        if (number.find_first_of(".eE") == std::string::npos)
            if (auto i = to_int(number))
                return Default::literal(coerce_literal(*i, type));
        if (auto d = to_double(number))
            return Default::literal(coerce_literal(*d, type));
    }
    return Default::expression(std::string(body));
}

}  // namespace strata::detail
