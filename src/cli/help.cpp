// Help for each command: what it does, its arguments, what it prints.
#include "cli_internal.hpp"

namespace strata::cli::detail {

const char* const general_help = R"(usage: {program} [global options] <command> [arguments]

Commands:
  setup-db                      set up empty binds (refuses a bind that is not empty, unless at head)
  clean-db --yes                drop every table, view and function of the binds
  upgrade [--to N] [--dry-run]  set up or upgrade every bind (--replay, --atomic, --strict)
  downgrade --to N              revert steps down to version N
  status                        each bind's version, pending steps, skip list, drift
  history                       every recorded step: kind, checksum, when, how long, who
  stamp N                       record version N without running steps (adopt a database)
  sql --from A --to B --dialect sqlite|postgresql
                                the SQL from version A to B, offline (B < A: the downgrade)
  lint [--from N]               online-safety findings of the steps, with the safe rewrite (exit 1)
  check                         the live schema against the models (exit 3 on drift)
  verify                        fresh setup, chain, up/down/up on scratch databases (exit 3)
  autogenerate "message"        the step that takes the database to the models
  create "message"              a new SQL migration file (with --dir; no database needed)
  init [--bind NAME[=URL]]...   a migrations directory with bind folders, and strata.json
  wait [--timeout S]            wait until every bind's database accepts connections
  fleet upgrade|status --targets FILE
                                one bind's migrations over many databases or schemas
  completion bash               a bash completion script: source <({program} completion bash)
  inspect URL [--format json|sql|mermaid]
  diff URL_A URL_B [--exclude TABLE]

Global options (before the command):
  --dir DIR            SQL-file migrations: DIR/<bind>/0001_name.sql
  --config FILE        JSON configuration (environments with bind URLs, options)
  --env NAME           the environment of the configuration to use
  --bind NAME=URL      a bind's URL (also STRATA_<BIND>_URL); repeatable
  --only BIND          act on this bind only; repeatable
  --lock-timeout S     give up waiting for another migrating process after S seconds
  --step-lock-timeout MS  PostgreSQL: how long a step's statement waits for a lock on
                       the application's tables before the step is rolled back and
                       retried (default 1000; 0: no bound)
  --lock-retries N     how often such a step is retried before it fails (default 5)
  --scratch-url URL    where verify and check may create scratch databases
  --json               JSON output with a "format" field
  -v, -q               more (each SQL statement) or less output
  -h, --help           help; `{program} <command> --help` for one command
  --version            strata's version

Exit codes: 0 success, 1 migration or database failure, 2 usage or configuration
error, 3 differences found, 4 lock wait timed out, 5 database newer than the program.
)";

namespace {

struct Help {
    const char* command;
    const char* text;
};

const Help helps[] = {
    {"setup-db", R"(usage: {program} [global options] setup-db [--replay]

Sets up each empty bind: the head schema from the models in one transaction, the
steps the models cover recorded as skipped, seed-data steps run (--replay, or a
bind without models: every step from empty). A bind already at its head is left
alone; any other non-empty bind is refused (exit 1): use upgrade.
)"},
    {"clean-db", R"(usage: {program} [global options] clean-db --yes

Drops every table, view, trigger, function and type of each selected bind,
strata's own tables too. Without --yes nothing is dropped (exit 2).
)"},
    {"upgrade", R"(usage: {program} [global options] upgrade [--to N] [--dry-run] [--replay] [--atomic] [--strict]
                                                 [--schema-file FILE]

Sets up or upgrades each selected bind, like the application does at startup.
  --to N      stop at version N (every selected bind)
  --dry-run   print the statements it would run now, and the lint findings of
              the pending steps, and run nothing
  --replay    an empty bind runs the chain from empty instead of the fresh setup
  --atomic    all pending steps of a bind in one transaction (all or nothing)
  --strict    a step changed since it was applied, or a lint finding in a pending
              step, is an error (exit 1; also "strict_checksums", "strict_lint")
  --schema-file FILE  then write every bind's schema to FILE (inspect --format sql,
              binds by name, each with its version): schema changes show in review
              (also the configuration's "schema_file" option)
Exit 4 when another process holds the migration lock longer than --lock-timeout,
5 when a database is newer than these steps.
)"},
    {"downgrade", R"(usage: {program} [global options] downgrade --to N [--dry-run]

Reverts steps down to version N, each in its own transaction. Refused before
anything runs (exit 1) when a step on the way has no down ops.
)"},
    {"status", R"(usage: {program} [global options] status [--no-drift]

Each bind: state (fresh, ok, behind, ahead, unversioned, error), current version
and head, pending steps, steps a fresh setup skips, steps changed since they were
applied, drift between the live schema and the models (at head), and the lint
findings of the pending steps.
--json: {"format":"strata.status/1","binds":[...]}.
)"},
    {"history", R"(usage: {program} [global options] history

Every row of each bind's strata_version: version, kind (applied, fresh,
skipped, stamped, reverted), when, how long, by whom, description.
--json: {"format":"strata.history/1","binds":[{"bind","entries":[...]}]}.
)"},
    {"stamp", R"(usage: {program} [global options] [--only BIND] stamp N

Records version N for the bind without running steps: adopting a database made
without strata, once its schema matches version N. On a bind with a history the
stamp is appended (with a warning).
)"},
    {"sql", R"(usage: {program} [global options] sql --from A --to B --dialect sqlite|postgresql

Prints the SQL that takes each selected bind from version A to B, offline (no
database is opened): the statements upgrade runs, in transactions, with the
version-store statements (from 0, CREATE TABLE strata_version too). B below A
prints the downgrade. Data code appears as a comment naming the step.
)"},
    {"fleet", R"(usage: {program} [global options] fleet upgrade|status --targets FILE [options]
       {program} [global options] fleet upgrade|status --targets-query SQL --control URL [options]

Runs one bind's migrations (the only bind, or --only NAME) over many targets: a
database per tenant across servers, a schema per tenant, SQLite files. Each
target is upgraded exactly as `upgrade` does it, under its own migration lock;
a target that fails is reported and the others go on.
  --targets FILE        JSON ([{"name": "acme", "url": "postgresql://..."}] or
                        ["URL", ...]) or one 'URL [NAME]' per line (# comments);
                        - reads standard input
  --targets-query SQL   run on --control URL; each row's first column is a URL,
                        or a schema name that becomes the control URL with
                        ?schema=NAME; a second column names the tenant
  --jobs N              targets at once (default 4)
  --per-server N        of them on one server at most (default 2; 0: no bound)
  --canary K            upgrade the first K targets first; if one fails, stop
  --max-failures F      after F failures start no new target (default: go on)
Ctrl-C finishes the targets in progress and starts no new one. A rerun does
only what is behind.
status reads each target's version: at_head, behind, drifted (a recorded
step's checksum differs) or failed (unreadable); exit 3 when one is behind or
drifted. upgrade exits 1 when a target failed or the run stopped.
--json: {"format":"strata.fleet/1","head":N,"versions":{"N":count},"counts":{...},
"targets":[{"target","url","server","status","from","to","duration_ms","error"}]}.
)"},
    {"lint", R"(usage: {program} [global options] lint [--from N] [--dialect sqlite|postgresql]

Checks each selected bind's steps (those after version N; default all) for
changes that hurt a live database: an index built without CONCURRENTLY, a
foreign key or CHECK without NOT VALID, SET NOT NULL, a rewrite (volatile
default, type change), UNIQUE without USING INDEX, a rename or drop under the
running release, CONCURRENTLY in a transaction, an unbounded lock wait, VACUUM
FULL or CLUSTER. Each finding names the step (file and line for SQL files), why
it hurts, and the safe rewrite. No database is opened: the engine is the bind's
URL's, else --dialect, else PostgreSQL; on SQLite the lock rules do not apply.
A step accepts a finding with a reason: '-- strata: allow RULE reason' in a SQL
file, .allow("rule", "reason") in C++.
Rules: index-not-concurrent, drop-index-not-concurrent, constraint-not-valid,
set-not-null, volatile-default, type-change, unique-constraint, rename-column,
rename-table, drop-column, drop-table, concurrently-in-transaction,
no-lock-timeout, table-rewrite-command (docs/lint.md).
Exit 1 when a finding stands. --json: {"format":"strata.lint/1","binds":[...]}.
)"},
    {"check", R"(usage: {program} [global options] check [--schema-file FILE]

Compares each bind's live schema with the models (at head), or with the chain
replayed to the bind's version on a scratch database (behind, or SQL files).
With --schema-file (or the configuration's "schema_file"), also whether FILE is
what `upgrade --schema-file` would write now.
Exit 3 with the differences listed (or a stale schema file), 0 when there are none.
)"},
    {"verify", R"(usage: {program} [global options] [--scratch-url URL] verify

On scratch databases of each bind's dialect (SQLite: temporary files;
PostgreSQL: databases created on the bind's server or --scratch-url, dropped at
the end) proves that the chain from empty equals the fresh setup (schema and
seed data), that every step goes up, down and up again, and that upgrading from
every version ends where the fresh setup does. Exit 3 with the first difference
of each failed check.
)"},
    {"autogenerate", R"(usage: {program} [global options] autogenerate "message" [--out FILE]

Compares each bind's database with its models and writes the step that takes
the database to the models, as C++ for the application's step list (stdout or
--out FILE). With SQL files (--dir), what was changed by hand on the database
since its recorded version becomes the next migration file. A table or column
that disappeared while another with the same shape appeared is asked about on a
terminal, and otherwise taken as a rename and flagged: never dropped and re-added.
)"},
    {"create", R"(usage: {program} --dir DIR [--only BIND] create "message"

Writes DIR/<bind>/NNNN_message.sql with the next number and empty -- up and
-- down sections, and prints its path. The bind is --only's, or the directory's
only bind folder; its folder is created when missing. No database is needed.
)"},
    {"init", R"(usage: {program} [--dir DIR] init [--bind NAME[=URL]]...

Writes the layout of SQL-file migrations: DIR (default: migrations) with one
folder per bind (default: app), and strata.json beside DIR with a dev
environment (each bind's URL, or sqlite:<bind>.db) and a prod environment to
fill in, explained by its "//" fields. An existing strata.json is kept.
)"},
    {"completion", R"(usage: {program} completion bash

Prints a bash completion script for the commands, their options and the bind
names of the --dir being typed. Load it with: source <({program} completion bash)
or save it as /etc/bash_completion.d/{program}.
)"},
    {"wait", R"(usage: {program} wait [--timeout S]

Waits until the database of every bind accepts connections (a container that
starts before its database), trying every 250 ms for up to S seconds
(default 60). Exit 0 once all do, 1 with the last connection error otherwise.
A SQLite file that does not exist yet counts as ready; nothing is created.
)"},
    {"inspect", R"(usage: {program} inspect URL [--format json|sql|mermaid]

Reads the schema of the database at URL (strata's own tables left out):
  sql      the DDL that recreates it on the same dialect (default)
  json     every table, column, key, index, constraint and object (default with --json)
  mermaid  an ER diagram
URL: sqlite:path.db, sqlite:///relative.db, sqlite:////absolute.db,
     postgresql://user:password@host:port/dbname?schema=name
)"},
    {"diff", R"(usage: {program} diff URL_A URL_B [--exclude TABLE]...

Compares the schemas of two databases (strata's own tables always left out).
Exit 0 when they are equal, 3 when they differ (the differences are listed).
)"},
};

}  // namespace

const char* const application_help = R"(usage: {program} [global options]                start: set up or upgrade its databases, then run
       {program} [global options] db <command>   the strata commands on its databases ({program} db --help)

Global options: --env NAME, --config FILE, --bind NAME=URL (also STRATA_<BIND>_URL), -v, -q
)";

std::string with_program(std::string text, const std::string& program)
{
    for (auto at = text.find("{program}"); at != std::string::npos; at = text.find("{program}"))
        text.replace(at, 9, program);
    return text;
}

std::string help_of(const std::string& command, const std::string& program)
{
    for (const auto& h : helps)
        if (command == h.command)
            return with_program(h.text, program);
    return {};
}

}  // namespace strata::cli::detail
