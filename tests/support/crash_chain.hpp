// A six-step chain for the crash tests: schema steps, a data step that runs on
// fresh setups too, a column type change (a rebuild on SQLite) and a
// CONCURRENTLY index in a no-transaction step. The worker runs it with a
// failpoint that kills the process after a given number of statements.
#pragma once

#include "strata/upgrader.hpp"

#include <string>

namespace strata::test {

inline constexpr long long crash_chain_head = 6;
inline constexpr long long crash_chain_no_transaction_step = 5;  // CREATE INDEX CONCURRENTLY

// The models at version 6.
Schema crash_chain_models();

// Declares the bind `name` with the chain (steps 1..steps) on `upgrader`.
void declare_crash_chain(Upgrader& upgrader, const std::string& name, Database database,
                         long long steps = crash_chain_head);

}  // namespace strata::test
