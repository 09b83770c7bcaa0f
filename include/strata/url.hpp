// Database URLs in SQLAlchemy's convention, parsed once, printed without passwords.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace strata {

// sqlite:relative.db, sqlite:///relative.db, sqlite:////abs/path.db, sqlite::memory:,
// with ?mode=ro; postgresql://user:password@host:port/dbname?schema=s&connect_timeout=5
// (also host=/socket/dir as a parameter).
struct Url {
    std::string scheme;  // "sqlite" or "postgresql" (postgres:// is accepted)
    // SQLite
    std::string path;
    bool memory = false;
    // Server databases
    std::string user;
    std::string password;
    std::string host;
    int port = 0;
    std::string database;
    std::map<std::string, std::string> params;

    // Throws ConfigError naming what is wrong and showing the expected form.
    static Url parse(std::string_view text);
    [[nodiscard]] std::string param(const std::string& key, std::string fallback = {}) const;
    [[nodiscard]] bool read_only() const { return param("mode") == "ro"; }
    // The URL with the password shown as ***.
    [[nodiscard]] std::string masked() const;
    // The URL as given (keep it away from logs: it may hold a password).
    [[nodiscard]] std::string unmasked() const;
};

}  // namespace strata
