// SQL-file migrations: parsing NNNN_slug.sql files into steps.
#include "strata/sql_files.hpp"

#include "log.hpp"
#include "sql_tokenizer.hpp"
#include "strata/errors.hpp"
#include "text.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <optional>
#include <fstream>
#include <sstream>

namespace strata {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void bad_file(const fs::path& file, const std::string& why, std::size_t line = 0)
{
    throw ConfigError("migration " + file.string() + (line ? ":" + std::to_string(line) : "") + ": " + why);
}

std::string read_text(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        bad_file(file, "cannot be read");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// "0007_add_user_name.sql" -> 7 and "add user name".
std::pair<long long, std::string> parse_name(const fs::path& file)
{
    const std::string name = file.filename().string();
    std::size_t digits = 0;
    while (digits < name.size() && name[digits] >= '0' && name[digits] <= '9')
        ++digits;
    long long version = 0;
    if (digits == 0 || std::from_chars(name.data(), name.data() + digits, version).ec != std::errc{} || version <= 0)
        bad_file(file, "the name must start with the step number, like 0001_create_users.sql");
    std::string slug = name.substr(digits, name.size() - digits - 4);
    while (!slug.empty() && (slug.front() == '_' || slug.front() == '-'))
        slug.erase(slug.begin());
    std::replace(slug.begin(), slug.end(), '_', ' ');
    return {version, slug.empty() ? "step " + std::to_string(version) : slug};
}

bool is_marker(std::string_view line, std::string_view marker)
{
    return detail::iequals(detail::trim(line), marker);
}

// The value after a directive's name ("-- strata: allow index-not-concurrent the table is new"), if the line is one.
std::optional<std::string_view> directive(std::string_view line, std::string_view name)
{
    auto t = detail::trim(line);
    if (!detail::istarts_with(t, name) || (t.size() > name.size() && t[name.size()] != ' '))
        return std::nullopt;
    return detail::trim(t.substr(name.size()));
}

// "500ms", "2s", "0" (no bound).
std::chrono::milliseconds parse_lock_timeout(const fs::path& file, std::string_view value, std::size_t line)
{
    std::string v(value);
    long long scale = 1;
    if (v.ends_with("ms")) {
        v.resize(v.size() - 2);
    } else if (v.ends_with("s")) {
        v.resize(v.size() - 1);
        scale = 1000;
    } else if (v != "0") {
        v.clear();
    }
    if (v.empty() || v.size() > 9 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
        bad_file(file, "'-- strata: lock-timeout' needs a duration such as 500ms or 2s (0: no bound), not '" +
                           std::string(value) + "'",
                 line);
    return std::chrono::milliseconds(std::stoll(v) * scale);
}

// "RULE reason...": a reason is required, so that a reviewer sees why.
LintAllowance parse_allowance(const fs::path& file, std::string_view value, std::size_t line)
{
    const auto space = value.find(' ');
    LintAllowance a{std::string(value.substr(0, space)),
                    space == std::string_view::npos ? std::string() : std::string(detail::trim(value.substr(space)))};
    if (a.rule.empty() || a.reason.empty())
        bad_file(file, "'-- strata: allow' needs a rule and the reason it is safe here, as in '-- strata: allow "
                       "index-not-concurrent the table is created in the release before and still empty'",
                 line);
    return a;
}

// "-- strata: backfill key=id batch=1000 pause=5ms" over "UPDATE t SET ... [WHERE ...]":
// the UPDATE runs in batches of key ranges, each its own transaction (Backfill).
Backfill backfill_of(const fs::path& file, const std::string& up, const std::string& options, std::size_t line)
{
    Backfill b;
    b.key.clear();
    for (const auto& word : detail::split(options, ' ')) {
        if (word.empty())
            continue;
        const auto eq = word.find('=');
        const std::string name = word.substr(0, eq), value = eq == std::string::npos ? "" : word.substr(eq + 1);
        long long n = 0;
        const bool number = !value.empty() && std::from_chars(value.data(), value.data() + value.size(), n).ptr ==
                                                  value.data() + value.size();
        if (name == "key" && !value.empty())
            b.key = value;
        else if (name == "batch" && number && n > 0)
            b.batch_size = n;
        else if (name == "pause")
            b.pause = parse_lock_timeout(file, value, line);
        else
            bad_file(file, "'-- strata: backfill' takes key=COLUMN [batch=ROWS] [pause=5ms], not '" + word + "'", line);
    }
    if (b.key.empty())
        bad_file(file, "'-- strata: backfill' needs key=COLUMN: an integer column (the primary key) whose ranges "
                       "make the batches", line);
    const auto statements = detail::split_statements(up).statements;
    const auto tokens = statements.size() == 1 ? detail::tokenize(statements[0].sql) : std::vector<detail::Token>{};
    std::size_t i = 0;
    auto word = [&](std::string_view w) { return i < tokens.size() && tokens[i].is_word(w) ? (++i, true) : false; };
    const std::string& sql = statements.empty() ? up : statements[0].sql;
    if (!word("update"))
        bad_file(file, "'-- strata: backfill' needs exactly one statement under '-- up', an UPDATE table SET ... "
                       "[WHERE ...] (strata adds the key range of each batch)", line);
    if (i < tokens.size())
        b.table = tokens[i].is(detail::TokenKind::quoted_identifier) ? detail::unquote_identifier(tokens[i].text)
                                                                     : detail::lower(tokens[i].text);
    ++i;
    if (!word("set"))
        bad_file(file, "'-- strata: backfill': the UPDATE names one table and then SET (no alias, no schema)", line);
    const std::size_t set_at = i < tokens.size() ? tokens[i].offset : sql.size();
    std::size_t where_at = std::string::npos;
    int depth = 0;
    for (; i < tokens.size(); ++i) {
        depth += tokens[i].is_punct('(') ? 1 : tokens[i].is_punct(')') ? -1 : 0;
        if (depth == 0 && (tokens[i].is_word("from") || tokens[i].is_word("returning")))
            bad_file(file, "'-- strata: backfill': an UPDATE with FROM or RETURNING cannot run in batches", line);
        if (depth == 0 && tokens[i].is_word("where")) {
            where_at = tokens[i].offset;
            break;
        }
    }
    b.set = std::string(detail::trim(sql.substr(set_at, where_at == std::string::npos ? std::string::npos : where_at - set_at)));
    if (where_at != std::string::npos)
        b.where = std::string(detail::trim(sql.substr(where_at + 5)));
    return b;
}

// A section split at its '-- strata: phase' lines: one raw SQL op per phase,
// NextPhase between them. Each phase's text starts with as many line breaks as
// the section has lines before it, so lint reports lines of the file.
std::vector<Op> phased_sql(const fs::path& file, const std::string& text, std::size_t begin, std::size_t end,
                           const std::vector<std::size_t>& marks)
{
    std::vector<Op> ops;
    std::size_t from = begin;
    for (std::size_t k = 0; k <= marks.size(); ++k) {
        const std::size_t to = k < marks.size() ? marks[k] : end;
        const std::string part = text.substr(from, to - from);
        if (detail::split_statements(part).statements.empty())
            bad_file(file, "a phase without statements: put each '-- strata: phase' line between statements, once",
                     detail::line_of(text, to));
        if (!ops.empty())
            ops.push_back(NextPhase{});
        const auto lines = static_cast<std::size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(begin),
                                                               text.begin() + static_cast<std::ptrdiff_t>(from), '\n'));
        ExecuteSql sql;
        sql.sql.on("", std::string(lines, '\n') + part);
        ops.push_back(std::move(sql));
        if (k < marks.size()) {
            const auto eol = text.find('\n', to);
            from = eol == std::string::npos ? end : std::min(eol + 1, end);
        }
    }
    return ops;
}

void check_statements(const fs::path& file, const std::string& whole, std::size_t section_offset, const std::string& sql)
{
    auto split = detail::split_statements(sql);
    if (!split.error.empty())
        bad_file(file, split.error, detail::line_of(whole, section_offset + split.error_offset));
}

}  // namespace

Step parse_sql_migration(const fs::path& file, const std::string& raw)
{
    auto [version, description] = parse_name(file);
    // Editors on Windows start UTF-8 files with a byte order mark; it is not SQL.
    const std::string text = raw.starts_with("\xEF\xBB\xBF") ? raw.substr(3) : raw;
    if (auto nul = text.find('\0'); nul != std::string::npos)
        bad_file(file, "a NUL byte: the file is binary or saved as UTF-16; save it as UTF-8 text",
                 detail::line_of(text, nul));
    // Sections by marker lines; what comes before `-- up` may only be comments.
    std::size_t up_begin = std::string::npos, down_begin = std::string::npos, up_end = text.size();
    bool no_transaction = false;
    std::optional<std::chrono::milliseconds> lock_timeout;
    std::vector<LintAllowance> allowed;
    std::optional<std::string> backfill;
    std::size_t backfill_line = 0;
    std::size_t up_line = 0;
    std::vector<std::size_t> up_phases, down_phases;  // where each '-- strata: phase' line starts
    std::size_t pos = 0, line_number = 0;
    while (pos <= text.size()) {
        auto eol = text.find('\n', pos);
        if (eol == std::string::npos)
            eol = text.size();
        ++line_number;
        std::string_view line(text.data() + pos, eol - pos);
        if (is_marker(line, "-- up")) {
            if (up_begin != std::string::npos)
                bad_file(file, "a second '-- up' line", line_number);
            up_begin = eol + 1;
            up_line = line_number + 1;
        } else if (is_marker(line, "-- down")) {
            if (up_begin == std::string::npos)
                bad_file(file, "'-- down' comes before '-- up'", line_number);
            if (down_begin != std::string::npos)
                bad_file(file, "a second '-- down' line", line_number);
            up_end = pos;
            down_begin = eol + 1;
        } else if (is_marker(line, "-- strata: no-transaction")) {
            no_transaction = true;
        } else if (is_marker(line, "-- strata: phase")) {
            if (up_begin == std::string::npos)
                bad_file(file, "'-- strata: phase' before '-- up': it ends a phase of the up or down section",
                         line_number);
            (down_begin == std::string::npos ? up_phases : down_phases).push_back(pos);
        } else if (auto value = directive(line, "-- strata: lock-timeout")) {
            lock_timeout = parse_lock_timeout(file, *value, line_number);
        } else if (auto value = directive(line, "-- strata: backfill")) {
            backfill = std::string(*value);
            backfill_line = line_number;
        } else if (auto value = directive(line, "-- strata: allow")) {
            allowed.push_back(parse_allowance(file, *value, line_number));
        } else if (up_begin == std::string::npos) {
            auto t = detail::trim(line);
            if (!t.empty() && !t.starts_with("--"))
                bad_file(file, "SQL before the '-- up' line: put the step's SQL under '-- up'", line_number);
        }
        pos = eol + 1;
    }
    if (up_begin == std::string::npos)
        bad_file(file, "no '-- up' line: a migration file holds a '-- up' section and an optional '-- down' section");
    up_begin = std::min(up_begin, text.size());
    const std::string up_raw = text.substr(up_begin, up_end - up_begin);
    const std::size_t down_at = down_begin == std::string::npos ? text.size() : std::min(down_begin, text.size());
    const std::string down_raw = text.substr(down_at);
    check_statements(file, text, up_begin, up_raw);
    check_statements(file, text, down_at, down_raw);
    const std::string up(detail::trim(up_raw));
    const std::string down(detail::trim(down_raw));
    if (detail::split_statements(up).statements.empty())
        detail::logger().warn("migration {}: the '-- up' section is empty; the step is recorded and changes nothing",
                              file.string());
    if (no_transaction && detail::split_statements(up).statements.size() != 1)
        bad_file(file, "'-- strata: no-transaction' needs exactly one statement under '-- up' (an interrupted run "
                       "could not be undone otherwise): split the file");
    Step step;
    step.version = version;
    step.description = description;
    if (!up_phases.empty()) {
        if (no_transaction)
            bad_file(file, "'-- strata: no-transaction' and '-- strata: phase' in one file: a phase holding only a "
                           "CREATE or DROP INDEX CONCURRENTLY runs outside a transaction by itself; drop "
                           "'-- strata: no-transaction'");
        if (backfill)
            bad_file(file, "'-- strata: backfill' runs the whole file in batches: it cannot have phases", backfill_line);
        step.ops = phased_sql(file, text, up_begin, up_end, up_phases);
        if (!detail::split_statements(down).statements.empty())
            step.down = phased_sql(file, text, down_at, text.size(), down_phases);
        step.lock_timeout = lock_timeout;
        step.lint_allowed = std::move(allowed);
        step.source = file.string();
        step.source_line = up_line;  // each phase's text keeps its lines (see phased_sql)
        return step;
    }
    if (!down_phases.empty())
        bad_file(file, "'-- strata: phase' in the down section of a file whose up section has none: the way "
                       "down of a step of one transaction is one transaction");
    ExecuteSql sql;
    sql.sql.on("", up);
    // A down section of comments alone ("no way down: ...") is no way down.
    if (!detail::split_statements(down).statements.empty())
        sql.down.on("", down);
    if (backfill) {
        step.ops.push_back(backfill_of(file, up, *backfill, backfill_line));
        if (!sql.down.empty())
            step.down = std::vector<Op>{ExecuteSql{sql.down, {}}};
    } else {
        step.ops.push_back(std::move(sql));
    }
    step.no_transaction = no_transaction;
    step.lock_timeout = lock_timeout;
    step.lint_allowed = std::move(allowed);
    step.source = file.string();
    // `up` is trimmed: its first statement starts after the blank lines.
    const auto first = std::min(up_raw.find_first_not_of(" \t\r\n"), up_raw.size());
    step.source_line = up_line + static_cast<std::size_t>(std::count(up_raw.begin(), up_raw.begin() + static_cast<std::ptrdiff_t>(first), '\n'));
    return step;
}

std::vector<Step> load_sql_steps(const fs::path& directory)
{
    if (!fs::is_directory(directory))
        throw ConfigError("migrations directory " + directory.string() + " does not exist");
    std::vector<std::pair<long long, fs::path>> files;
    for (const auto& entry : fs::directory_iterator(directory)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".sql")
            continue;
        files.emplace_back(parse_name(entry.path()).first, entry.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<Step> steps;
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto& [version, path] = files[i];
        if (i > 0 && files[i - 1].first == version)
            bad_file(path, "step " + std::to_string(version) + " is also " + files[i - 1].second.filename().string() +
                               ": give each file its own number");
        if (version != static_cast<long long>(i) + 1)
            bad_file(path, "step " + std::to_string(version) + " follows step " + std::to_string(i) +
                               ": numbers must run 1, 2, 3, ... without gaps");
        steps.push_back(parse_sql_migration(path, read_text(path)));
    }
    return steps;
}

std::map<std::string, std::vector<Step>> load_sql_migrations(const fs::path& root)
{
    if (!fs::is_directory(root))
        throw ConfigError("migrations directory " + root.string() + " does not exist");
    std::map<std::string, std::vector<Step>> out;
    for (const auto& entry : fs::directory_iterator(root))
        if (entry.is_directory())
            out[entry.path().filename().string()] = load_sql_steps(entry.path());
    if (out.empty())
        throw ConfigError("migrations directory " + root.string() + " has no bind directories (migrations/<bind>/0001_name.sql)");
    return out;
}

fs::path create_sql_file(const fs::path& directory, const std::string& message, const std::string& up_sql,
                         const std::string& down_sql)
{
    fs::create_directories(directory);
    long long next = 1;
    if (fs::exists(directory))
        next = static_cast<long long>(load_sql_steps(directory).size()) + 1;
    std::string slug;
    for (char c : message) {
        if (std::isalnum(static_cast<unsigned char>(c)))
            slug += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        else if (!slug.empty() && slug.back() != '_')
            slug += '_';
    }
    while (!slug.empty() && slug.back() == '_')
        slug.pop_back();
    if (slug.empty())
        slug = "step";
    char number[24];
    std::snprintf(number, sizeof number, "%04lld", next);
    auto path = directory / (std::string(number) + "_" + slug + ".sql");
    std::ofstream out(path);
    out << "-- " << message << "\n-- up\n" << up_sql << (up_sql.empty() || up_sql.ends_with("\n") ? "" : "\n")
        << "\n-- down\n" << down_sql << (down_sql.empty() || down_sql.ends_with("\n") ? "" : "\n");
    if (!out)
        throw ConfigError("cannot write " + path.string());
    return path;
}

}  // namespace strata
