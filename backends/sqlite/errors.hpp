// The SQLite backend's one translation of native result codes into strata errors.
#pragma once

#include <string_view>

struct sqlite3;

namespace strata::sqlite {

[[noreturn]] void throw_error(sqlite3* db, int rc, std::string_view sql, std::string_view what = {});

}  // namespace strata::sqlite
