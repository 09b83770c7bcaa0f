// The command line's JSON documents.
#include "json_formats.hpp"

#include "json_output.hpp"

namespace strata::cli::detail::json_format {

namespace {

json versions(const std::vector<long long>& list)
{
    json out = json::array();
    for (auto v : list)
        out.push_back(v);
    return out;
}

json null_if_empty(const std::string& text)
{
    return text.empty() ? json(nullptr) : json(text);
}

json report(const BindReport& r)
{
    json steps = json::array();
    for (const auto& s : r.steps)
        steps.push_back({{"version", s.version}, {"description", s.description}, {"kind", to_string(s.kind)},
                         {"duration_ms", s.duration_ms}});
    json j{{"bind", r.bind}, {"action", to_string(r.action)}, {"from", r.from}, {"to", r.to}, {"steps", std::move(steps)}};
    if (!r.backup.empty())
        j["backup"] = r.backup;
    return j;
}

json document(const std::string& command, json binds)
{
    return {{"format", "strata." + command + "/1"}, {"binds", std::move(binds)}};
}

}  // namespace

json reports(const std::string& command, const std::vector<BindReport>& reports)
{
    json binds = json::array();
    for (const auto& r : reports)
        binds.push_back(report(r));
    return document(command, std::move(binds));
}

json status(const std::vector<StatusLine>& lines)
{
    json binds = json::array();
    for (const auto& [s, url] : lines)
        binds.push_back({{"bind", s.bind},
                         {"dialect", s.dialect},
                         {"state", to_string(s.state)},
                         {"current", s.current},
                         {"head", s.head},
                         {"error", null_if_empty(s.error)},
                         {"pending", versions(s.pending)},
                         {"skipped_on_fresh", versions(s.skipped_on_fresh)},
                         {"checksum_mismatches", versions(s.checksum_mismatches)},
                         {"drift", strata::detail::differences_json(s.drift)},
                         {"lint", lint_findings(s.lint)},
                         {"url", url}});
    return document("status", std::move(binds));
}

json lint_findings(const std::vector<LintFinding>& findings)
{
    json out = json::array();
    for (const auto& f : findings)
        out.push_back({{"rule", f.rule},
                       {"version", f.version},
                       {"step", f.step},
                       {"file", null_if_empty(f.file)},
                       {"line", f.line ? json(f.line) : json(nullptr)},
                       {"statement", f.statement},
                       {"why", f.why},
                       {"fix", f.fix},
                       {"allowed", null_if_empty(f.allowed)}});
    return out;
}

json lint(const std::vector<LintResult>& results)
{
    json binds = json::array();
    std::size_t standing = 0, allowed = 0;
    for (const auto& r : results) {
        for (const auto& f : r.findings)
            ++(f.allowed.empty() ? standing : allowed);
        binds.push_back({{"bind", r.bind},
                         {"dialect", r.dialect},
                         {"from", r.from},
                         {"rules_not_applying", r.rules_not_applying},
                         {"findings", lint_findings(r.findings)}});
    }
    auto doc = document("lint", std::move(binds));
    doc["findings"] = standing;
    doc["allowed"] = allowed;
    return doc;
}

json history(const std::vector<std::pair<std::string, std::vector<HistoryEntry>>>& binds)
{
    json out = json::array();
    for (const auto& [bind, entries] : binds) {
        json list = json::array();
        for (const auto& e : entries)
            list.push_back({{"version", e.version}, {"description", e.description}, {"kind", to_string(e.kind)},
                            {"checksum", null_if_empty(e.checksum)}, {"applied_at", e.applied_at},
                            {"duration_ms", e.duration_ms}, {"applied_by", e.applied_by},
                            {"strata_release", e.strata_release}});
        out.push_back({{"bind", bind}, {"entries", std::move(list)}});
    }
    return document("history", std::move(out));
}

json check(const std::vector<CheckResult>& results)
{
    json binds = json::array();
    for (const auto& r : results)
        binds.push_back({{"bind", r.bind}, {"current", r.current}, {"head", r.head}, {"compared_with", r.compared_with},
                         {"differences", strata::detail::differences_json(r.differences)}});
    return document("check", std::move(binds));
}

json verify(const std::vector<VerifyResult>& results)
{
    json binds = json::array();
    for (const auto& r : results)
        binds.push_back({{"bind", r.bind}, {"dialect", r.dialect}, {"ok", r.report.ok()}, {"checks", r.report.checks},
                         {"failures", r.report.failures}, {"notes", r.report.notes}});
    return document("verify", std::move(binds));
}

json autogenerate(const std::string& code, const std::vector<std::string>& files)
{
    return {{"format", "strata.autogenerate/1"}, {"code", code}, {"files", files}};
}

json create(const std::string& bind, const std::string& file)
{
    return {{"format", "strata.create/1"}, {"bind", bind}, {"file", file}};
}

json diff(const std::string& a, const std::string& b, const std::vector<Difference>& differences)
{
    return {{"format", "strata.diff/1"},
            {"a", a},
            {"b", b},
            {"equal", differences.empty()},
            {"differences", strata::detail::differences_json(differences)}};
}

json clean_db(const std::vector<std::string>& binds)
{
    return document("clean-db", binds);
}

}  // namespace strata::cli::detail::json_format
