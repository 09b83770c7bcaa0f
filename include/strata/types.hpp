// Portable column types, runtime values and the C++ member type -> column type mapping.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace strata {

enum class TypeKind {
    smallint,     // int16
    integer,      // int32
    bigint,       // int64
    boolean,
    real,         // 4-byte float
    double_,      // 8-byte float
    numeric,      // exact decimal, optional precision and scale
    text,
    varchar,      // length 0 = no limit
    blob,
    timestamp,    // without time zone
    timestamptz,  // with time zone (an instant)
    date,
    json,
    uuid,
    enum_,        // native enum type (PostgreSQL); text + CHECK where there is none
    custom,       // a dialect's own type, kept verbatim (e.g. "inet", "integer[]")
};

struct Type {
    TypeKind kind = TypeKind::text;
    int length = 0;       // varchar(n)
    int precision = 0;    // numeric(p, s); 0 = unconstrained
    int scale = 0;
    std::string name;     // enum type name, or the custom type's text
    // SQLite: the type as the table declares it ("NVARCHAR(160)", "datetime"),
    // rendered there as written so that a copy keeps its affinity and its
    // spelling; not part of what the type is (== ignores it).
    std::string declared;

    static Type smallint() { return {TypeKind::smallint}; }
    static Type integer() { return {TypeKind::integer}; }
    static Type bigint() { return {TypeKind::bigint}; }
    static Type boolean() { return {TypeKind::boolean}; }
    static Type real() { return {TypeKind::real}; }
    static Type double_precision() { return {TypeKind::double_}; }
    static Type numeric(int precision = 0, int scale = 0) { return {TypeKind::numeric, 0, precision, scale}; }
    static Type text() { return {TypeKind::text}; }
    static Type varchar(int length = 0) { return {TypeKind::varchar, length}; }
    static Type blob() { return {TypeKind::blob}; }
    static Type timestamp() { return {TypeKind::timestamp}; }
    static Type timestamptz() { return {TypeKind::timestamptz}; }
    static Type date() { return {TypeKind::date}; }
    static Type json() { return {TypeKind::json}; }
    static Type uuid() { return {TypeKind::uuid}; }
    static Type enumeration(std::string name) { return {TypeKind::enum_, 0, 0, 0, std::move(name)}; }
    static Type custom(std::string sql) { return {TypeKind::custom, 0, 0, 0, std::move(sql)}; }

    [[nodiscard]] bool is_integer() const noexcept
    {
        return kind == TypeKind::smallint || kind == TypeKind::integer || kind == TypeKind::bigint;
    }
    [[nodiscard]] bool is_textual() const noexcept
    {
        return kind == TypeKind::text || kind == TypeKind::varchar || kind == TypeKind::enum_;
    }
    friend bool operator==(const Type& a, const Type& b) noexcept
    {
        return a.kind == b.kind && a.length == b.length && a.precision == b.precision && a.scale == b.scale &&
               a.name == b.name;
    }
};

// Portable spelling used in messages, JSON and docs: "varchar(255)", "bigint", "enum(mood)".
[[nodiscard]] std::string to_string(const Type& type);
// Parses the portable spelling back; nullopt when it is not one.
[[nodiscard]] std::optional<Type> parse_type(std::string_view text);

using Blob = std::vector<std::byte>;

// A runtime value: a parameter, a result cell or a literal default.
using Value = std::variant<std::monostate, bool, std::int64_t, double, std::string, Blob>;

[[nodiscard]] inline bool is_null(const Value& v) noexcept { return std::holds_alternative<std::monostate>(v); }
// Readable form for messages and JSON: NULL, true, 42, 1.5, 'text', x'00ff'.
[[nodiscard]] std::string to_display(const Value& v);

// A point in time, microsecond precision, UTC.
struct Timestamp {
    std::chrono::sys_time<std::chrono::microseconds> time{};
    friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
    // "YYYY-MM-DD HH:MM:SS[.ffffff]"; also accepts 'T' and a trailing Z or +hh[:mm].
    static Timestamp parse(std::string_view text);
    [[nodiscard]] std::string to_string() const;
};

struct Date {
    std::chrono::year_month_day ymd{};
    friend bool operator==(const Date&, const Date&) = default;
    static Date parse(std::string_view text);  // "YYYY-MM-DD"
    [[nodiscard]] std::string to_string() const;
};

// JSON document kept as text; the database validates it (jsonb on PostgreSQL).
struct Json {
    std::string text;
    friend bool operator==(const Json&, const Json&) = default;
};

// UUID kept in its canonical 36-character text form.
struct Uuid {
    std::string text;
    friend bool operator==(const Uuid&, const Uuid&) = default;
};

// C++ member type -> column type and nullability. Specialise for your own types.
template <class T>
struct column_traits;

namespace detail {
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
}  // namespace detail

template <> struct column_traits<std::int16_t> { static Type type() { return Type::smallint(); } };
template <> struct column_traits<std::int32_t> { static Type type() { return Type::integer(); } };
template <> struct column_traits<std::int64_t> { static Type type() { return Type::bigint(); } };
template <> struct column_traits<bool> { static Type type() { return Type::boolean(); } };
template <> struct column_traits<float> { static Type type() { return Type::real(); } };
template <> struct column_traits<double> { static Type type() { return Type::double_precision(); } };
template <> struct column_traits<std::string> { static Type type() { return Type::text(); } };
template <> struct column_traits<Blob> { static Type type() { return Type::blob(); } };
template <> struct column_traits<Timestamp> { static Type type() { return Type::timestamptz(); } };
template <> struct column_traits<Date> { static Type type() { return Type::date(); } };
template <> struct column_traits<Json> { static Type type() { return Type::json(); } };
template <> struct column_traits<Uuid> { static Type type() { return Type::uuid(); } };
template <class T>
struct column_traits<std::optional<T>> {
    static Type type() { return column_traits<T>::type(); }
};

template <class T>
inline constexpr bool is_nullable_member_v = detail::is_optional<T>::value;

// Conversions between C++ member values and Value, used by typed data access.
template <class T>
struct value_traits;

namespace detail {
[[noreturn]] void throw_value_mismatch(const Value& v, const char* wanted);
std::int64_t value_as_int(const Value& v);
double value_as_double(const Value& v);
}  // namespace detail

template <class T>
    requires std::is_integral_v<T> && (!std::is_same_v<T, bool>)
struct value_traits<T> {
    static Value to(const T& v) { return static_cast<std::int64_t>(v); }
    static T from(const Value& v) { return static_cast<T>(detail::value_as_int(v)); }
};
template <> struct value_traits<bool> {
    static Value to(bool v) { return v; }
    static bool from(const Value& v);
};
template <class T>
    requires std::is_floating_point_v<T>
struct value_traits<T> {
    static Value to(const T& v) { return static_cast<double>(v); }
    static T from(const Value& v) { return static_cast<T>(detail::value_as_double(v)); }
};
template <> struct value_traits<std::string> {
    static Value to(const std::string& v) { return v; }
    static std::string from(const Value& v);
};
template <> struct value_traits<Blob> {
    static Value to(const Blob& v) { return v; }
    static Blob from(const Value& v);
};
template <> struct value_traits<Timestamp> {
    static Value to(const Timestamp& v) { return v.to_string(); }
    static Timestamp from(const Value& v) { return Timestamp::parse(value_traits<std::string>::from(v)); }
};
template <> struct value_traits<Date> {
    static Value to(const Date& v) { return v.to_string(); }
    static Date from(const Value& v) { return Date::parse(value_traits<std::string>::from(v)); }
};
template <> struct value_traits<Json> {
    static Value to(const Json& v) { return v.text; }
    static Json from(const Value& v) { return {value_traits<std::string>::from(v)}; }
};
template <> struct value_traits<Uuid> {
    static Value to(const Uuid& v) { return v.text; }
    static Uuid from(const Value& v) { return {value_traits<std::string>::from(v)}; }
};
template <class T>
struct value_traits<std::optional<T>> {
    static Value to(const std::optional<T>& v) { return v ? value_traits<T>::to(*v) : Value{}; }
    static std::optional<T> from(const Value& v)
    {
        if (is_null(v))
            return std::nullopt;
        return value_traits<T>::from(v);
    }
};

// A C++ value as a statement parameter: text of any kind, numbers, bool,
// std::optional (NULL when empty), nullptr (NULL), Value, and every type with
// value_traits (Timestamp, Date, Json, Uuid, Blob, ...).
template <class T>
[[nodiscard]] Value to_value(const T& v)
{
    using U = std::decay_t<T>;
    if constexpr (std::is_same_v<U, Value>)
        return v;
    else if constexpr (std::is_same_v<U, std::nullptr_t>)
        return Value{};
    else if constexpr (std::is_convertible_v<const T&, std::string_view>)
        return std::string(std::string_view(v));
    else
        return value_traits<U>::to(v);
}

}  // namespace strata
