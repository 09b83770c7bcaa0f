// strata-test-worker: one process running the upgrader with the test history, for
// the tests that start many at once or kill one mid-step.
#include "history.hpp"

#include "strata/errors.hpp"

#include <cstdlib>
#include <iostream>
#include <string>

int main(int argc, char** argv)
{
    std::string url;
    std::string bind = "app";
    strata::test::HistoryOptions history;
    strata::RunOptions options;
    options.snapshots = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string key = argv[i];
        std::string value = argv[i + 1];
        if (key == "--url")
            url = value;
        else if (key == "--bind")
            bind = value;
        else if (key == "--steps")
            history.steps = std::stoll(value);
        else if (key == "--step-sleep-ms")
            history.step_sleep_ms = std::stoi(value);
        else if (key == "--fresh-sleep-ms")
            history.fresh_sleep_ms = std::stoi(value);
        else if (key == "--marker")
            history.marker_file = value;
        else if (key == "--lock-mode")
            options.lock_mode = value == "lease" ? strata::LockMode::lease : strata::LockMode::automatic;
        else if (key == "--lease-ttl")
            options.lease_ttl = std::chrono::seconds(std::stoi(value));
        else if (key == "--lock-timeout")
            options.lock_timeout = std::chrono::seconds(std::stoi(value));
        else if (key == "--target")
            options.target = std::stoll(value);
        else if (key == "--replay")
            options.replay = value == "1";
        else {
            std::cerr << "unknown option " << key << "\n";
            return 2;
        }
    }
    try {
        strata::Upgrader upgrader;
        strata::test::declare_history(upgrader, bind, strata::connect(url), history);
        auto report = upgrader.run(options);
        std::cout << "ok " << report.binds.at(0).action << " " << report.binds.at(0).to << "\n";
        return 0;
    } catch (const strata::Error& e) {
        std::cerr << e.what() << "\n";
        switch (e.code()) {
        case strata::ErrorCode::lock_timeout: return 4;
        case strata::ErrorCode::database_newer: return 5;
        case strata::ErrorCode::model_invalid:
        case strata::ErrorCode::config_invalid: return 2;
        default: return 1;
        }
    }
}
