// The `strata` executable.
#include "strata/cli.hpp"

int main(int argc, char** argv)
{
    return strata::cli::main(argc, argv);
}
