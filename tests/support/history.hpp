// A ten-step history mixing every op kind, with the models it ends at; used by
// the upgrader tests on both dialects and by the worker processes.
#pragma once

#include "strata/upgrader.hpp"

#include <functional>
#include <string>

namespace strata::test {

struct Setting {
    std::int64_t id = 0;
    std::string key;
    std::string value;
};

// The models at version 10.
Schema history_models();

struct HistoryOptions {
    long long steps = 10;           // declare steps 1..steps (fewer: an older program)
    int step_sleep_ms = 0;          // an extra step 11 whose data code sleeps (a long step)
    int fresh_sleep_ms = 0;         // the seed step sleeps on fresh setups (a crash inside fresh setup)
    std::string marker_file;        // written when a sleeping step starts
    bool break_step_11 = false;     // an extra step 11 whose SQL fails
};

// Declares the bind `name` with the history on `upgrader`.
void declare_history(Upgrader& upgrader, const std::string& name, Database database, const HistoryOptions& options = {});

// Rows a table holds (count).
long long count_rows(Database& db, const std::string& table);

}  // namespace strata::test
