// The pieces of a database URL that every backend's form shares: the generic
// split, %-decoding, the server authority (user:password@host:port/database).
// Each backend parses its own form with these (Dialect::complete_url).
#pragma once

#include "strata/url.hpp"

#include <string>
#include <string_view>

namespace strata::detail {

// Throws ConfigError: "malformed database URL '<masked>': <why> (<expected>)".
[[noreturn]] void bad_url(const std::string& text, const std::string& why, std::string_view expected);

std::string percent_decode(std::string_view s, const std::string& text, std::string_view expected);

// Adds the parameters of `query` (what follows '?') to url.params, %-decoded.
void parse_url_query(std::string_view query, Url& url, const std::string& text, std::string_view expected);

// Fills user, password, host, port and database from `rest` (what follows "//").
void parse_server_authority(std::string_view rest, Url& url, const std::string& text, std::string_view expected);

// A URL parameter that must be a whole number >= 0 when present.
void expect_whole_number(const Url& url, const std::string& key, const std::string& text, std::string_view expected);

}  // namespace strata::detail
