// An owned PGresult with the few accessors strata reads results through.
#pragma once

#include <libpq-fe.h>

#include <charconv>
#include <string_view>
#include <utility>

namespace strata::postgresql {

struct Result {
    PGresult* r = nullptr;
    explicit Result(PGresult* result) : r(result) {}
    ~Result() { PQclear(r); }
    Result(Result&& other) noexcept : r(std::exchange(other.r, nullptr)) {}
    Result& operator=(Result&& other) noexcept
    {
        std::swap(r, other.r);
        return *this;
    }
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;

    int rows() const { return PQntuples(r); }
    std::string_view text(int row, int col) const
    {
        return {PQgetvalue(r, row, col), static_cast<std::size_t>(PQgetlength(r, row, col))};
    }
    bool null(int row, int col) const { return PQgetisnull(r, row, col); }
    long long number(int row, int col) const
    {
        long long v = 0;
        auto t = text(row, col);
        std::from_chars(t.data(), t.data() + t.size(), v);
        return v;
    }
    bool flag(int row, int col) const { return text(row, col) == "t"; }
};

}  // namespace strata::postgresql
