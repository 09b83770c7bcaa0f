// The commands of the strata command line (generic and embedded).
#include "cli_internal.hpp"

#include "json_formats.hpp"
#include "strata/autogenerate.hpp"
#include "strata/compare.hpp"
#include "strata/database.hpp"
#include "strata/errors.hpp"
#include "strata/inspect.hpp"
#include "strata/lint.hpp"
#include "strata/sql_files.hpp"
#include "text.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <span>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace strata::cli::detail {

namespace {

RunOptions with_progress(Context& c)
{
    RunOptions o = c.run_options;
    Output* out = &c.output;
    o.on_step = [out](const StepEvent& e) { out->progress(e); };
    o.on_work = [out](const WorkProgress& e) { out->work(e); };
    return o;
}

std::string report_text(const BindReport& r)
{
    double total = 0;
    for (const auto& s : r.steps)
        total += s.duration_ms;
    std::string steps = std::to_string(r.steps.size()) + " step" + (r.steps.size() == 1 ? "" : "s");
    if (r.action == BindAction::up_to_date)
        return r.bind + ": up to date at version " + std::to_string(r.to);
    if (r.action == BindAction::fresh)
        return r.bind + ": set up fresh at version " + std::to_string(r.to) + " (" + steps + " recorded)";
    return r.bind + ": " + std::string(to_string(r.action)) + " from " + std::to_string(r.from) + " to " + std::to_string(r.to) + " (" + steps +
           ", " + std::to_string(static_cast<long long>(total)) + " ms)" +
           (r.backup.empty() ? "" : "; snapshot " + r.backup);
}

int print_reports(Context& c, const std::string& command, const std::vector<BindReport>& reports)
{
    if (c.output.json()) {
        c.output.print_json(json_format::reports(command, reports));
    } else {
        for (const auto& r : reports)
            c.output.out() << report_text(r) << "\n";
    }
    return ok;
}

std::optional<long long> optional_version(const Args& a, const std::string& flag)
{
    auto v = a.value(flag);
    if (!v)
        return std::nullopt;
    return parse_version(*v, flag);
}

bool interactive()
{
    return isatty(0) && isatty(2);
}

}  // namespace

bool needs_binds(const std::string& command, bool embedded)
{
    if (command == "create")
        return embedded;
    // A fleet's binds are its targets' (cmd_fleet builds each).
    return command != "inspect" && command != "diff" && command != "init" && command != "completion" &&
           command != "fleet";
}

int cmd_setup_db(Context& c)
{
    Args a(c.options.args, {}, {"--replay"}, "setup-db");
    std::vector<BindReport> reports;
    for (const auto& bind : c.selected) {
        auto st = c.upgrader->status(bind, false);
        if (st.state == BindState::ok) {
            reports.push_back(BindReport{bind, BindAction::up_to_date, st.current, st.current, {}, {}});
            continue;
        }
        if (st.state != BindState::fresh)
            throw Error(ErrorCode::database_error,
                        "bind '" + bind + "' is not empty (" + std::string(to_string(st.state)) +
                            (st.state == BindState::behind ? ", at version " + std::to_string(st.current) + " of " + std::to_string(st.head) : "") +
                            "): setup-db only sets up empty binds; use upgrade" +
                            (st.state == BindState::unversioned ? ", after stamp" : ""));
        auto o = with_progress(c);
        o.replay = a.has("--replay");
        reports.push_back(c.upgrader->run(bind, o));
    }
    return print_reports(c, "setup-db", reports);
}

int cmd_clean_db(Context& c)
{
    Args a(c.options.args, {}, {"--yes"}, "clean-db");
    if (!a.has("--yes"))
        throw UsageError("clean-db drops every table, view, trigger and function of " +
                         strata::detail::join(c.selected, ", ") + ": add --yes to do it");
    for (const auto& bind : c.selected) {
        c.upgrader->clean(bind);
        c.output.note(bind + ": cleaned");
    }
    if (c.output.json())
        c.output.print_json(json_format::clean_db(c.selected));
    return ok;
}

namespace {

// The schema file: every bind's schema as `inspect --format sql` renders it,
// binds by name, each headed by its version. No time, no host: the same
// databases always give the same bytes, so a review shows schema changes.
std::string schema_file_text(Context& c)
{
    auto binds = c.upgrader->binds();
    std::sort(binds.begin(), binds.end());
    std::string text = "-- The schema of each bind, written by `strata upgrade --schema-file` (do not edit).\n";
    for (const auto& bind : binds) {
        auto& db = c.upgrader->database(bind);
        text += "\n-- bind " + bind + " at version " + std::to_string(c.upgrader->status(bind, false).current) + " (" +
                std::string(db.dialect().name()) + ")\n\n" + to_sql(db.inspect(), db.dialect());
    }
    return text;
}

std::string schema_file_of(Context& c, const Args& a)
{
    return a.value("--schema-file").value_or(c.schema_file);
}

void write_schema_file(Context& c, const std::string& path)
{
    const auto temp = path + ".partial";
    {
        std::ofstream out(temp, std::ios::binary);
        out << schema_file_text(c);
        if (!out)
            throw ConfigError("cannot write the schema file " + path);
    }
    std::filesystem::rename(temp, path);
    c.output.note("schema file " + path + " written");
}

// The first line where the file and the databases part, or nothing when it is current.
std::optional<std::string> stale_schema_file(Context& c, const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return "it does not exist";
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const auto file = buffer.str();
    const auto live = schema_file_text(c);
    if (file == live)
        return std::nullopt;
    std::istringstream a(file), b(live);
    std::string line_a, line_b;
    for (int line = 1;; ++line) {
        const bool more_a = static_cast<bool>(std::getline(a, line_a));
        const bool more_b = static_cast<bool>(std::getline(b, line_b));
        if (!more_a && !more_b)
            break;
        if (!more_a || !more_b || line_a != line_b)
            return "line " + std::to_string(line) + " is `" + (more_a ? line_a : "(end of file)") +
                   "`, the databases say `" + (more_b ? line_b : "(end)") + "`";
    }
    return "it differs";
}

}  // namespace

int cmd_upgrade(Context& c)
{
    Args a(c.options.args, {"--to", "--schema-file"}, {"--dry-run", "--replay", "--atomic", "--strict"}, "upgrade");
    auto o = with_progress(c);
    o.target = optional_version(a, "--to");
    o.replay = a.has("--replay");
    o.atomic = a.has("--atomic");
    if (a.has("--strict")) {
        o.strict_checksums = true;
        o.strict_lint = true;
    }
    if (!a.positional().empty())
        throw UsageError("upgrade takes no words, got '" + a.positional().front() + "' (to stop at a version: --to N)");
    if (a.has("--dry-run")) {
        for (const auto& bind : c.selected)
            c.output.out() << c.upgrader->dry_run(bind, o) << "\n";
        return ok;
    }
    std::vector<BindReport> reports;
    for (const auto& bind : c.selected)
        reports.push_back(c.upgrader->run(bind, o));
    const int code = print_reports(c, "upgrade", reports);
    if (const auto path = schema_file_of(c, a); !path.empty() && code == ok)
        write_schema_file(c, path);
    return code;
}

int cmd_downgrade(Context& c)
{
    Args a(c.options.args, {"--to"}, {"--dry-run"}, "downgrade");
    const long long to = a.number("--to");
    if (a.has("--dry-run")) {
        for (const auto& bind : c.selected) {
            auto st = c.upgrader->status(bind, false);
            c.output.out() << c.upgrader->sql(bind, st.current, std::min(to, st.current), c.upgrader->database(bind).dialect())
                           << "\n";
        }
        return ok;
    }
    std::vector<BindReport> reports;
    auto o = with_progress(c);
    for (const auto& bind : c.selected)
        reports.push_back(c.upgrader->downgrade(bind, to, o));
    return print_reports(c, "downgrade", reports);
}

int cmd_status(Context& c)
{
    Args a(c.options.args, {}, {"--no-drift"}, "status");
    std::vector<json_format::StatusLine> all;
    for (const auto& bind : c.selected)
        all.push_back({c.upgrader->status(bind, !a.has("--no-drift")), c.upgrader->database(bind).url().masked()});
    if (c.output.json()) {
        c.output.print_json(json_format::status(all));
        return ok;
    }
    auto& out = c.output.out();
    for (const auto& line : all) {
        const auto& s = line.status;  // not a structured binding: the lambda below captures it
        const auto& url = line.url;
        const char* colour = s.state == BindState::ok                                  ? "32"
                             : s.state == BindState::error || s.state == BindState::ahead ? "31"
                                                                                          : "33";
        out << s.bind << " (" << s.dialect << ", " << url << "): "
            << c.output.paint(std::string(to_string(s.state)), colour);
        if (s.state == BindState::error) {
            out << "\n  " << s.error << "\n";
            continue;
        }
        out << ", at version " << s.current << " of " << s.head << "\n";
        if (!s.pending.empty())
            out << "  pending: " << strata::detail::join([&] {
                std::vector<std::string> v;
                for (auto p : s.pending)
                    v.push_back(std::to_string(p));
                return v;
            }(), ", ") << "\n";
        for (const auto& f : s.lint) {
            std::string text = format_finding(f);
            for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 3))
                text.replace(at, 1, "\n  ");
            out << "  " << c.output.paint(f.allowed.empty() ? "lint" : "lint (allowed)", "33") << ": " << text << "\n";
        }
        if (!s.skipped_on_fresh.empty()) {
            std::vector<std::string> v;
            for (auto p : s.skipped_on_fresh)
                v.push_back(std::to_string(p));
            out << "  skipped on fresh setups (covered by the models): " << strata::detail::join(v, ", ") << "\n";
        }
        if (!s.checksum_mismatches.empty()) {
            std::vector<std::string> v;
            for (auto p : s.checksum_mismatches)
                v.push_back(std::to_string(p));
            out << "  " << c.output.paint("changed since applied", "33") << ": steps " << strata::detail::join(v, ", ") << "\n";
        }
        if (!s.drift.empty()) {
            out << "  " << c.output.paint("drift", "31") << " (database vs models):\n";
            for (const auto& d : s.drift)
                out << "    " << to_text(d, "database", "model") << "\n";
        }
    }
    return ok;
}

int cmd_history(Context& c)
{
    Args a(c.options.args, {}, {}, "history");
    std::vector<std::pair<std::string, std::vector<HistoryEntry>>> binds;
    for (const auto& bind : c.selected)
        binds.emplace_back(bind, c.upgrader->history(bind));
    if (c.output.json()) {
        c.output.print_json(json_format::history(binds));
        return ok;
    }
    for (const auto& [bind, entries] : binds) {
        auto& out = c.output.out();
        out << bind << ":\n";
        if (entries.empty())
            out << "  (no history)\n";
        for (const auto& e : entries) {
            char line[512];
            std::snprintf(line, sizeof line, "  %4lld  %-9s %-26s %9.1f ms  %-20s %s\n", e.version, std::string(to_string(e.kind)).c_str(),
                          e.applied_at.c_str(), e.duration_ms, e.applied_by.c_str(), e.description.c_str());
            out << line;
        }
    }
    return ok;
}

int cmd_stamp(Context& c)
{
    Args a(c.options.args, {}, {}, "stamp");
    if (a.positional().size() != 1)
        throw UsageError("stamp takes one version: stamp N");
    const long long version = parse_version(a.positional().front(), "stamp");
    if (c.selected.size() > 1)
        throw UsageError("stamp records one version for one bind: pick it with --only BIND");
    std::vector<BindReport> reports;
    for (const auto& bind : c.selected) {
        if (!c.upgrader->history(bind).empty())
            c.output.warn(bind + " already has a history: the stamp is appended to it");
        reports.push_back(c.upgrader->stamp(bind, version, c.run_options));
    }
    return print_reports(c, "stamp", reports);
}

int cmd_sql(Context& c)
{
    Args a(c.options.args, {"--from", "--to", "--dialect"}, {}, "sql");
    const long long from = a.number("--from");
    const long long to = a.number("--to");
    auto name = a.value("--dialect");
    std::string names;
    for (const auto* d : dialects())
        names += (names.empty() ? "" : "|") + std::string(d->name());
    if (!name)
        throw UsageError("sql needs --dialect " + names + " (it runs offline, without a database)");
    const Dialect* dialect = find_dialect(*name);
    if (!dialect)
        throw UsageError("unknown dialect '" + *name + "' (" + names + ")");
    for (const auto& bind : c.selected)
        c.output.out() << c.upgrader->sql(bind, from, to, *dialect);
    return ok;
}

int cmd_lint(Context& c)
{
    Args a(c.options.args, {"--from", "--dialect"}, {}, "lint");
    if (!a.positional().empty())
        throw UsageError("lint takes no words, got '" + a.positional().front() + "'");
    const long long from = a.value("--from") ? a.number("--from") : 0;
    const Dialect* forced = nullptr;
    if (auto name = a.value("--dialect"); name && !(forced = find_dialect(*name)))
        throw UsageError("unknown dialect '" + *name + "'");
    std::vector<json_format::LintResult> results;
    std::size_t standing = 0, allowed = 0;
    for (const auto& bind : c.selected) {
        const Dialect& dialect = forced ? *forced : c.upgrader->database(bind).dialect();
        const auto& steps = c.upgrader->steps(bind);
        const auto first = static_cast<std::size_t>(std::clamp<long long>(from, 0, static_cast<long long>(steps.size())));
        json_format::LintResult r{bind, std::string(dialect.name()), from, {}, {}};
        r.findings = lint_steps(std::span<const Step>(steps).subspan(first), dialect, bind,
                                LintOptions{c.run_options.step_lock_timeout});
        const bool lock_queue = dialect.capabilities().lock_queue;
        for (const auto& rule : lint_rules())
            if (!rule.on_sqlite && !lock_queue)
                r.rules_not_applying.emplace_back(rule.id);
        for (const auto& f : r.findings)
            ++(f.allowed.empty() ? standing : allowed);
        results.push_back(std::move(r));
    }
    if (c.output.json()) {
        c.output.print_json(json_format::lint(results));
        return standing ? failure : ok;
    }
    auto& out = c.output.out();
    for (const auto& r : results) {
        for (const auto& f : r.findings)
            out << (f.allowed.empty() ? "" : "(allowed) ") << format_finding(f) << "\n\n";
        if (!r.rules_not_applying.empty())
            out << r.bind << " (" << r.dialect << "): " << r.rules_not_applying.size()
                << " rules about a server's lock queue do not apply (one writer, no queue): "
                << strata::detail::join(r.rules_not_applying, ", ") << "\n";
    }
    out << standing << " finding(s)" << (allowed ? ", " + std::to_string(allowed) + " allowed" : std::string()) << " in "
        << results.size() << " bind(s)\n";
    return standing ? failure : ok;
}

int cmd_check(Context& c)
{
    Args a(c.options.args, {"--schema-file"}, {}, "check");
    std::vector<json_format::CheckResult> results;
    bool drift = false;
    if (const auto path = schema_file_of(c, a); !path.empty()) {
        if (auto why = stale_schema_file(c, path)) {
            c.output.warn("schema file " + path + " is stale: " + *why + "; run `strata upgrade --schema-file " +
                          path + "` and commit it");
            drift = true;
        } else {
            c.output.note("schema file " + path + " is current");
        }
    }
    for (const auto& bind : c.selected) {
        auto& db = c.upgrader->database(bind);
        Scratch scratch(db, c.options.scratch_url);
        auto st = c.upgrader->status(bind, false);
        auto differences = c.upgrader->check(bind, [&] { return scratch.make(); });
        drift = drift || !differences.empty();
        const std::string against = st.state == BindState::ok && c.upgrader->has_models(bind)
                                        ? "models"
                                        : "chain replayed to version " + std::to_string(st.current);
        if (c.output.json()) {
            results.push_back({bind, st.current, st.head, against, differences});
            continue;
        }
        auto& out = c.output.out();
        if (differences.empty()) {
            out << bind << ": no drift (database matches the " << against << ")\n";
            continue;
        }
        out << bind << ": " << differences.size() << " difference" << (differences.size() == 1 ? "" : "s")
            << " between the database and the " << against << ":\n";
        const std::string label = against == "models" ? "model" : "chain";
        for (const auto& d : differences)
            out << "  " << to_text(d, "database", label) << "\n";
    }
    if (c.output.json())
        c.output.print_json(json_format::check(results));
    return drift ? differences : ok;
}

int cmd_verify(Context& c)
{
    Args a(c.options.args, {}, {}, "verify");
    std::vector<json_format::VerifyResult> results;
    bool failed = false;
    for (const auto& bind : c.selected) {
        auto& db = c.upgrader->database(bind);
        Scratch scratch(db, c.options.scratch_url);
        c.output.note(bind + ": verifying on scratch " + std::string(db.dialect().name()) + " databases ...");
        auto o = c.run_options;
        auto report = c.upgrader->verify(bind, [&] { return scratch.make(); }, o);
        failed = failed || !report.ok();
        if (c.output.json()) {
            results.push_back({bind, std::string(db.dialect().name()), report});
            continue;
        }
        auto& out = c.output.out();
        out << bind << ": " << (report.ok() ? c.output.paint("verified", "32") : c.output.paint("FAILED", "31")) << " ("
            << report.checks << " checks on " << db.dialect().name() << ")\n";
        for (const auto& f : report.failures)
            out << "  " << f << "\n";
        for (const auto& n : report.notes)
            out << "  note: " << n << "\n";
    }
    if (c.output.json())
        c.output.print_json(json_format::verify(results));
    return failed ? differences : ok;
}

// The live objects the server renders exactly as it renders the model's get the
// model's text: a body written differently but meaning the same is no change.
Schema bodies_as_written(Schema live, const Schema& read_back, const Schema& model)
{
    auto same = [](const Schema& schema, const SqlObject& o) -> const SqlObject* {
        for (const auto& x : schema.objects)
            if (x.kind == o.kind && x.name == o.name && x.table == o.table)
                return &x;
        return nullptr;
    };
    for (auto& o : live.objects) {
        const auto* read = same(read_back, o);
        const auto* written = same(model, o);
        if (read && written && *read == o)
            o.definition = written->definition;
    }
    return live;
}

int cmd_autogenerate(Context& c)
{
    Args a(c.options.args, {"--out"}, {}, "autogenerate");
    if (a.positional().size() != 1)
        throw UsageError("autogenerate takes one message: autogenerate \"add user nickname\"");
    const std::string message = a.positional().front();
    RenameQuestion ask;
    if (interactive() && !c.output.json())
        ask = [](const std::string& question) {
            std::cerr << question << " [y/N] " << std::flush;
            std::string answer;
            std::getline(std::cin, answer);
            return !answer.empty() && (answer[0] == 'y' || answer[0] == 'Y');
        };
    std::string code;
    std::vector<std::string> written;
    for (const auto& bind : c.selected) {
        auto& db = c.upgrader->database(bind);
        const auto& d = db.dialect();
        const long long version = c.upgrader->head(bind) + 1;
        if (c.upgrader->has_models(bind)) {
            const auto model = d.canonical(c.upgrader->models(bind));
            auto step = autogenerate(bodies_as_written(db.inspect(), d.read_back(db.session(), model), model), model, ask);
            for (const auto& n : step.notes)
                c.output.warn(bind + ": " + n);
            code += "// bind \"" + bind + "\"\n" + to_cpp(version, message, step);
            continue;
        }
        // SQL files: what was changed by hand on this database since its recorded version.
        Scratch scratch(db, c.options.scratch_url);
        auto st = c.upgrader->status(bind, false);
        Upgrader replay;
        auto b = replay.bind(bind, scratch.make(), Schema{});
        b.without_models();
        for (const auto& s : c.upgrader->steps(bind))
            b.add(s);
        RunOptions o;
        o.target = st.current;
        o.snapshots = 0;
        (void)replay.run(bind, o);
        auto before = replay.database(bind).inspect();
        auto step = autogenerate(before, db.inspect(), ask);
        for (const auto& n : step.notes)
            c.output.warn(bind + ": " + n);
        Schema state = before;
        std::string up, down;
        for (const auto& s : d.render_step(step.ops, state))
            up += s.sql + ";\n";
        // Half a way down is worse than none: an op without an inverse leaves the
        // section to comments, and downgrade refuses the step.
        const auto reversed = reverse_all(step.ops);
        for (const auto& why : reversed.irreversible) {
            c.output.warn(bind + ": the new step has no way down: " + why + "; write its '-- down' section by hand");
            down += "-- no way down: " + why + "\n";
        }
        if (reversed.irreversible.empty())
            for (const auto& s : d.render_step(reversed.ops, state))
                down += s.sql + ";\n";
        auto path = create_sql_file(std::filesystem::path(c.options.dir) / bind, message, up, down);
        written.push_back(path.string());
        c.output.note(bind + ": wrote " + path.string());
    }
    if (!code.empty()) {
        if (auto out = a.value("--out")) {
            std::ofstream file(*out);
            file << code;
            if (!file)
                throw ConfigError("cannot write " + *out);
            c.output.note("wrote " + *out);
        } else {
            c.output.out() << code;
        }
    }
    if (c.output.json())
        c.output.print_json(json_format::autogenerate(code, written));
    return ok;
}

namespace {

// The bind a new migration file is for: --only, or the migrations directory's
// only bind folder. Its folder is created when it is missing.
std::string bind_to_create_in(const Context& c)
{
    if (c.upgrader) {
        if (c.selected.size() != 1)
            throw UsageError("create writes one file for one bind: pick it with --only BIND");
        return c.selected.front();
    }
    if (c.options.only.size() == 1)
        return c.options.only.front();
    if (c.options.only.size() > 1)
        throw UsageError("create writes one file for one bind: give one --only BIND");
    std::vector<std::string> folders;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(c.options.dir, ec))
        if (entry.is_directory())
            folders.push_back(entry.path().filename().string());
    if (folders.size() == 1)
        return folders.front();
    std::sort(folders.begin(), folders.end());
    throw UsageError(folders.empty() ? "no bind folder in " + c.options.dir +
                                           ": name the bind with --only BIND (its folder is created), or run init"
                                     : "create writes one file for one bind: pick it with --only BIND (binds: " +
                                           strata::detail::join(folders, ", ") + ")");
}

}  // namespace

int cmd_create(Context& c)
{
    Args a(c.options.args, {}, {}, "create");
    if (a.positional().size() != 1)
        throw UsageError("create takes one message: create \"add user nickname\"");
    if (c.options.dir.empty())
        throw UsageError("create writes SQL migration files: give --dir DIR");
    const auto bind = bind_to_create_in(c);
    auto path = create_sql_file(std::filesystem::path(c.options.dir) / bind, a.positional().front());
    if (c.output.json())
        c.output.print_json(json_format::create(bind, path.string()));
    else
        c.output.out() << path.string() << "\n";
    return ok;
}

int cmd_init(Context& c)
{
    Args a(c.options.args, {}, {}, "init");
    if (!a.positional().empty())
        throw UsageError("init takes no arguments: init [--dir DIR] [--bind NAME[=URL]]...");
    namespace fs = std::filesystem;
    const fs::path dir = c.options.dir.empty() ? fs::path("migrations") : fs::path(c.options.dir);
    std::vector<std::pair<std::string, std::string>> binds = c.options.binds;
    if (binds.empty())
        binds.emplace_back("app", "");
    for (const auto& [bind, url] : binds) {
        fs::create_directories(dir / bind);
        c.output.out() << (dir / bind).string() << "/\n";
    }
    const auto config = dir.parent_path().empty() ? fs::path("strata.json") : dir.parent_path() / "strata.json";
    if (fs::exists(config)) {
        c.output.out() << config.string() << " (kept: it exists)\n";
        return ok;
    }
    nlohmann::ordered_json dev = nlohmann::ordered_json::object();
    nlohmann::ordered_json prod = nlohmann::ordered_json::object();
    for (const auto& [bind, url] : binds) {
        dev[bind] = url.empty() ? "sqlite:" + bind + ".db" : url;
        prod[bind] = "postgresql://USER@HOST/" + bind;
    }
    nlohmann::ordered_json j;
    j["//"] = "strata's configuration: the binds' URLs per environment (--env NAME, default_env otherwise). "
              "--bind NAME=URL and STRATA_<BIND>_URL override them; keep passwords out of this file.";
    j["default_env"] = "dev";
    j["environments"]["dev"]["binds"] = dev;
    j["environments"]["prod"]["//"] = "give the real URLs here, or in STRATA_<BIND>_URL on the servers";
    j["environments"]["prod"]["binds"] = prod;
    j["options"]["//"] = "seconds to wait for another migrating process; PostgreSQL: milliseconds a step's "
                         "statement may wait for a lock on the application's tables, and retries after that; "
                         "SQLite snapshots to keep";
    j["options"]["lock_timeout_s"] = 60;
    j["options"]["step_lock_timeout_ms"] = 1000;
    j["options"]["lock_retries"] = 5;
    j["options"]["snapshots"] = 3;
    std::ofstream out(config);
    out << j.dump(2) << "\n";
    if (!out)
        throw ConfigError("cannot write " + config.string());
    c.output.out() << config.string() << "\n";
    return ok;
}

int cmd_wait(Context& c)
{
    Args a(c.options.args, {"--timeout"}, {}, "wait");
    long long seconds = 60;
    if (auto t = a.value("--timeout")) {
        auto r = std::from_chars(t->data(), t->data() + t->size(), seconds);
        if (r.ec != std::errc{} || r.ptr != t->data() + t->size() || seconds < 0)
            throw UsageError("--timeout takes whole seconds, not '" + *t + "'");
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    for (const auto& bind : c.selected) {
        for (;;) {
            try {
                (void)c.upgrader->database(bind).session();
                c.output.note(bind + ": accepts connections");
                break;
            } catch (const DatabaseError& e) {
                if (e.kind() != DatabaseErrorKind::connection || std::chrono::steady_clock::now() >= deadline)
                    throw;
                std::this_thread::sleep_for(std::chrono::milliseconds(250));
            }
        }
    }
    return ok;
}

ConnectOptions read_only()
{
    ConnectOptions o;
    o.read_only = true;
    return o;
}

int cmd_inspect(Context& c)
{
    Args a(c.options.args, {"--format"}, {}, "inspect");
    if (a.positional().size() != 1)
        throw UsageError(a.positional().empty() ? "inspect needs a database URL"
                                                : "inspect takes one URL, got " + std::to_string(a.positional().size()));
    const std::string format = a.value("--format").value_or(c.output.json() ? "json" : "sql");
    if (format != "json" && format != "sql" && format != "mermaid")
        throw UsageError("unknown format '" + format + "': use json, sql or mermaid");
    auto db = connect(a.positional().front(), read_only());  // a missing SQLite file is an error, not created
    auto schema = db.inspect();
    if (format == "json")
        c.output.out() << to_json(schema) << "\n";
    else if (format == "sql")
        c.output.out() << to_sql(schema, db.dialect());
    else
        c.output.out() << to_mermaid(schema);
    return ok;
}

int cmd_diff(Context& c)
{
    Args a(c.options.args, {"--exclude"}, {}, "diff");
    if (a.positional().size() != 2)
        throw UsageError("diff needs two database URLs");
    CompareOptions options;
    options.exclude_tables = a.values("--exclude");
    auto first = connect(a.positional()[0], read_only());
    auto second = connect(a.positional()[1], read_only());
    // Object bodies compare only between the same engine (PostgreSQL re-renders them).
    options.object_definitions = first.dialect().name() == second.dialect().name();
    auto schemas = inspect_all({&first.session(), &second.session()});
    auto found = compare(schemas[0], schemas[1], options);
    const auto label_a = first.url().masked();
    const auto label_b = second.url().masked();
    if (c.output.json()) {
        c.output.print_json(json_format::diff(label_a, label_b, found));
    } else if (found.empty()) {
        c.output.out() << "no differences\n";
    } else {
        for (const auto& d : found)
            c.output.out() << to_text(d, "A", "B") << "\n";
        c.output.out() << found.size() << " difference" << (found.size() == 1 ? "" : "s") << " (A = " << label_a
                       << ", B = " << label_b << ")\n";
    }
    return found.empty() ? ok : differences;
}

Scratch::Scratch(const Database& like, const std::string& scratch_url) : like_(like.url())
{
    if (scratch_url.empty())
        return;
    // Another server of the bind's engine: its location, the bind's schema.
    auto server = Url::parse(scratch_url);
    if (server.scheme != like_.scheme)
        return;
    const auto schema = like_.params.find("schema");
    server.params.erase("schema");
    if (schema != like_.params.end())
        server.params.insert(*schema);
    like_ = std::move(server);
}

Database Scratch::make()
{
    made_.push_back(std::make_unique<ScratchDatabase>(like_.unmasked()));
    return made_.back()->connect();
}

}  // namespace strata::cli::detail
