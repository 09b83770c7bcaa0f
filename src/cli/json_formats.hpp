// Every JSON document the command line prints ({"format": "strata.<command>/1", ...}),
// built in one place: the shapes docs/cli.md documents are written once.
#pragma once

#include "strata/compare.hpp"
#include "strata/upgrader.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace strata::cli::detail::json_format {

using nlohmann::json;

// upgrade, downgrade, setup-db, stamp: what each bind went through.
json reports(const std::string& command, const std::vector<BindReport>& reports);

// status: each bind with the URL it was reached at (password masked).
struct StatusLine {
    BindStatus status;
    std::string url;
};
json status(const std::vector<StatusLine>& lines);

json history(const std::vector<std::pair<std::string, std::vector<HistoryEntry>>>& binds);

// lint: each bind's findings, with the rules that do not apply on its engine.
struct LintResult {
    std::string bind;
    std::string dialect;
    long long from = 0;
    std::vector<std::string> rules_not_applying;
    std::vector<LintFinding> findings;
};
json lint(const std::vector<LintResult>& results);
json lint_findings(const std::vector<LintFinding>& findings);

// check: a bind's differences from its models (or its chain, replayed).
struct CheckResult {
    std::string bind;
    long long current = 0;
    long long head = 0;
    std::string compared_with;
    std::vector<Difference> differences;
};
json check(const std::vector<CheckResult>& results);

struct VerifyResult {
    std::string bind;
    std::string dialect;
    VerifyReport report;
};
json verify(const std::vector<VerifyResult>& results);

json autogenerate(const std::string& code, const std::vector<std::string>& files);
json create(const std::string& bind, const std::string& file);
json diff(const std::string& a, const std::string& b, const std::vector<Difference>& differences);
json clean_db(const std::vector<std::string>& binds);

}  // namespace strata::cli::detail::json_format
