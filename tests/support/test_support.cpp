// Shared test helpers: temporary SQLite files, per-test PostgreSQL schemas, the CLI.
#include "test_support.hpp"

#include "strata/errors.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace strata::test {

std::string unique_name(const std::string& prefix)
{
    static std::atomic<int> counter{0};
    static const auto seed = std::random_device{}();
    std::ostringstream s;
    s << prefix << "_" << getpid() << "_" << (seed % 100000) << "_" << counter++;
    return s.str();
}

TempDir::TempDir()
{
    path_ = std::filesystem::temp_directory_path() / unique_name("strata_test");
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir()
{
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::string TempDir::sqlite_url(const std::string& file) const
{
    return "sqlite:///" + (path_ / file).string();
}

std::optional<std::string> pg_unavailable()
{
    const char* url = std::getenv("STRATA_TEST_PG_URL");
    if (!url || !*url)
        return std::string("STRATA_TEST_PG_URL is not set");
    try {
        (void)connect(url);
        return std::nullopt;
    } catch (const std::exception& e) {
        return std::string("PostgreSQL at STRATA_TEST_PG_URL is unreachable: ") + e.what();
    }
}

bool pg_required()
{
    const char* require = std::getenv("STRATA_REQUIRE_PG");
    return require && std::string(require) == "1";
}

void PgTest::SetUp()
{
    STRATA_TEST_NEEDS_PG();
    server_url_ = std::getenv("STRATA_TEST_PG_URL");
}

namespace {

std::string with_param(const std::string& url, const std::string& param)
{
    return url + (url.find('?') == std::string::npos ? "?" : "&") + param;
}


}  // namespace

PgSchema::PgSchema(const std::string& server_url) : server_url_(server_url), name_(unique_name("t"))
{
    auto db = connect(server_url_);
    db.session().execute("CREATE SCHEMA \"" + name_ + "\"");
    url_ = with_param(server_url_, "schema=" + name_);
}

PgSchema::~PgSchema()
{
    try {
        auto db = connect(server_url_);
        db.session().execute("DROP SCHEMA IF EXISTS \"" + name_ + "\" CASCADE");
    } catch (...) {
    }
}

std::string pg_program(const std::string& name)
{
    std::vector<std::filesystem::path> candidates;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec))
        candidates.push_back(entry.path() / "bin" / name);
    std::sort(candidates.begin(), candidates.end());
    for (auto it = candidates.rbegin(); it != candidates.rend(); ++it)
        if (std::filesystem::exists(*it))
            return it->string();
    return "/usr/bin/" + name;
}

std::string read_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

PgServer::PgServer(int port) : state_(std::filesystem::temp_directory_path() / unique_name("strata_pg"))
{
    url_ = pg_sh({"start"}, port);
}

PgServer::PgServer(Standby, int primary_port) : state_(std::filesystem::temp_directory_path() / unique_name("strata_pg"))
{
    url_ = pg_sh({"standby", std::to_string(primary_port)});
}

PgServer::~PgServer()
{
    try {
        (void)pg_sh({"stop"});
    } catch (const std::exception&) {
    }
    std::error_code ec;
    std::filesystem::remove_all(state_, ec);
}

std::unique_ptr<PgServer> PgServer::standby() const
{
    return std::unique_ptr<PgServer>(new PgServer(Standby{}, port()));
}

int PgServer::port() const
{
    return std::stoi(read_file(state_ / "port"));
}

void PgServer::restart_immediately() const
{
    (void)pg_sh({"restart"});
}

std::string PgServer::pg_sh(const std::vector<std::string>& args, int port) const
{
    std::vector<std::string> all{STRATA_PG_SCRIPT};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<std::string> env{"STRATA_PG_STATE=" + state_.string(), "STRATA_PG_CRASH_SAFE=1"};
    if (port > 0)
        env.push_back("STRATA_PG_PORT=" + std::to_string(port));
    auto r = run_program("/bin/bash", all, env);
    if (r.exit_code != 0)
        throw std::runtime_error("scripts/pg.sh " + args.at(0) + " failed: " + r.err);
    while (!r.out.empty() && r.out.back() == '\n')
        r.out.pop_back();
    return r.out;
}

int free_port()
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), size);
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    close(fd);
    return ntohs(address.sin_port);
}

namespace {

bool accepts_connections(int port)
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    close(fd);
    return ok;
}

int port_of(const std::string& url)
{
    const auto at = url.find('@');
    const auto colon = url.find(':', at == std::string::npos ? url.find("//") : at);
    return std::stoi(url.substr(colon + 1));
}

}  // namespace

Pgbouncer::Pgbouncer(const std::string& server_url, const std::string& pool_mode)
    : dir_(std::filesystem::temp_directory_path() / unique_name("strata_pgbouncer")),
      server_port_(port_of(server_url)), port_(free_port())
{
    const std::string program = "/usr/sbin/pgbouncer";
    if (!std::filesystem::exists(program))
        throw std::runtime_error(program + " is missing: run scripts/deps.sh --server");
    std::filesystem::create_directories(dir_);
    std::filesystem::permissions(dir_, std::filesystem::perms::all, std::filesystem::perm_options::add);
    std::ofstream(dir_ / "users.txt") << "\"postgres\" \"\"\n";
    std::ofstream(dir_ / "pgbouncer.ini") << "[databases]\n* = host=127.0.0.1 port=" << server_port_
                                          << "\n[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = " << port_
                                          << "\nunix_socket_dir =\nauth_type = trust\nauth_file = "
                                          << (dir_ / "users.txt").string() << "\npool_mode = " << pool_mode
                                          << "\nmax_client_conn = 400\ndefault_pool_size = 40\n";
    // pgbouncer refuses to run as root; -u makes it drop to the postgres user.
    std::vector<std::string> args;
    if (geteuid() == 0)
        args = {"-u", "postgres"};
    args.push_back((dir_ / "pgbouncer.ini").string());
    pid_ = spawn_program(program, args).pid;
    for (int i = 0; i < 200 && !accepts_connections(port_); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (!accepts_connections(port_))
        throw std::runtime_error("pgbouncer did not start on port " + std::to_string(port_));
}

Pgbouncer::~Pgbouncer()
{
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

std::string Pgbouncer::through(const std::string& url) const
{
    const std::string from = ":" + std::to_string(server_port_) + "/";
    auto out = url;
    out.replace(out.find(from), from.size(), ":" + std::to_string(port_) + "/");
    return out;
}

std::filesystem::path data_file(const std::string& name)
{
    return std::filesystem::path(STRATA_TEST_DATA_DIR) / name;
}

CommandResult run_program(const std::string& program, const std::vector<std::string>& args,
                          const std::vector<std::string>& env)
{
    char out_template[] = "/tmp/strata_cli_out_XXXXXX";
    char err_template[] = "/tmp/strata_cli_err_XXXXXX";
    int out_fd = mkstemp(out_template);
    int err_fd = mkstemp(err_template);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out_fd, 1);
        dup2(err_fd, 2);
        for (const auto& e : env)
            putenv(const_cast<char*>(e.c_str()));
        std::vector<char*> argv;
        argv.push_back(const_cast<char*>(program.c_str()));
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(program.c_str(), argv.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    close(out_fd);
    close(err_fd);
    CommandResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_file(out_template);
    r.err = read_file(err_template);
    std::filesystem::remove(out_template);
    std::filesystem::remove(err_template);
    return r;
}

CommandResult run_cli(const std::vector<std::string>& args, const std::vector<std::string>& env)
{
    return run_program(STRATA_CLI_PATH, args, env);
}

}  // namespace strata::test

#include "sql_tokenizer.hpp"
#include "strata/inspect.hpp"
#include "strata/validate.hpp"

namespace strata::test {

std::vector<Difference> create_and_compare(Database& db, const Schema& model)
{
    const auto& dialect = db.dialect();
    validate(model, &dialect);
    {
        Transaction tx(db.session());
        for (const auto& s : dialect.create_all(model))
            db.session().execute(s.sql);
        tx.commit();
    }
    CompareOptions options;
    options.object_definitions = dialect.capabilities().preserves_object_sql;
    return compare(dialect.canonical(model), db.inspect(), options);
}

void execute_script(Database& db, const std::string& sql)
{
    auto split = detail::split_statements(sql);
    if (!split.error.empty())
        throw std::runtime_error("script: " + split.error);
    for (const auto& s : split.statements)
        db.session().execute(s.sql);
}

std::string lines(const std::vector<Difference>& differences)
{
    std::string out;
    for (const auto& d : differences)
        out += to_text(d, "expected", "live") + "\n";
    return out;
}

std::vector<std::string> corpus_names(const std::string& engine)
{
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(data_file("schemas/" + engine)))
        if (entry.path().extension() == ".sql" && entry.path().stem().extension() != ".edits")
            names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<CorpusEdit> corpus_edits(const std::string& engine, const std::string& name)
{
    std::vector<CorpusEdit> edits;
    std::istringstream text(read_file(data_file("schemas/" + engine + "/" + name + ".edits.sql")));
    for (std::string line; std::getline(text, line);) {
        if (line.starts_with("-- expect: "))
            edits.push_back({line.substr(11), {}});
        else if (!edits.empty() && !line.starts_with("--"))
            edits.back().sql += line + "\n";
    }
    return edits;
}

void expect_check_names_each_edit(const std::vector<CorpusEdit>& edits,
                                  const std::function<CommandResult(std::vector<std::string>)>& strata,
                                  const std::function<CommandResult(const std::string& sql)>& apply)
{
    auto clean = strata({"check"});
    EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
    std::string before = clean.out;
    for (const auto& edit : edits) {
        ASSERT_EQ(before.find(edit.expect), std::string::npos)
            << "'" << edit.expect << "' is reported before the edit that should cause it:\n" << before;
        auto changed = apply(edit.sql);
        ASSERT_EQ(changed.exit_code, 0) << edit.sql << changed.err;
        auto after = strata({"check"});
        EXPECT_EQ(after.exit_code, 3) << edit.sql << after.err;  // the schema has drifted
        EXPECT_NE(after.out.find(edit.expect), std::string::npos)
            << "the edit\n" << edit.sql << "is not reported as '" << edit.expect << "':\n" << after.out;
        before = after.out;
    }
}

}  // namespace strata::test

#include <thread>

namespace strata::test {

Child spawn_program(const std::string& program, const std::vector<std::string>& args)
{
    Child c;
    c.out_file = (std::filesystem::temp_directory_path() / unique_name("child_out")).string();
    c.err_file = (std::filesystem::temp_directory_path() / unique_name("child_err")).string();
    c.pid = fork();
    if (c.pid == 0) {
        int out = open(c.out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(c.err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(out, 1);
        dup2(err, 2);
        std::vector<char*> argv{const_cast<char*>(program.c_str())};
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(program.c_str(), argv.data());
        _exit(127);
    }
    return c;
}

CommandResult wait_program(Child& child)
{
    int status = 0;
    waitpid(child.pid, &status, 0);
    CommandResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_file(child.out_file);
    r.err = read_file(child.err_file);
    std::error_code ec;
    std::filesystem::remove(child.out_file, ec);
    std::filesystem::remove(child.err_file, ec);
    return r;
}

bool wait_for_file(const std::string& path, int timeout_ms)
{
    for (int waited = 0; waited < timeout_ms; waited += 20) {
        if (std::filesystem::exists(path))
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::filesystem::exists(path);
}

}  // namespace strata::test
