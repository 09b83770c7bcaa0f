// The strata command line: the generic `strata` tool's entry point.
#pragma once

namespace strata::cli {

// Exit codes (fixed): 0 success, 1 migration or database failure, 2 usage,
// configuration or model error, 3 differences found, 4 lock wait timed out,
// 5 database newer than the program.
enum ExitCode : int {
    ok = 0,
    failure = 1,
    usage = 2,
    differences = 3,
    lock_timeout = 4,
    database_newer = 5,
};

// `strata [global options] <command> [arguments]`.
int main(int argc, char** argv);

}  // namespace strata::cli
