// `strata completion bash`: a bash completion script for the commands, their
// options, and the bind names of the --dir on the command line being typed.
#include "cli_internal.hpp"

#include "strata/errors.hpp"

#include <map>

namespace strata::cli::detail {

namespace {

// Each command's own options (the global ones complete everywhere).
const std::map<std::string, std::string>& command_options()
{
    static const std::map<std::string, std::string> options{
        {"setup-db", "--replay"},
        {"clean-db", "--yes"},
        {"upgrade", "--to --dry-run --replay --atomic --strict --schema-file"},
        {"downgrade", "--to --dry-run"},
        {"status", "--no-drift"},
        {"history", ""},
        {"stamp", ""},
        {"sql", "--from --to --dialect"},
        {"lint", "--from --dialect"},
        {"check", "--schema-file"},
        {"verify", ""},
        {"autogenerate", "--out"},
        {"create", ""},
        {"init", ""},
        {"wait", "--timeout"},
        {"inspect", "--format"},
        {"diff", "--exclude"},
        {"completion", "bash"},
        {"fleet", "upgrade status --targets --targets-query --control --jobs --per-server --canary --max-failures"},
    };
    return options;
}

const char* const script = R"SH(# bash completion for {program}: source <({program} completion bash)
_{name}_binds() {
  local dir="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    [[ ${COMP_WORDS[i]} == --dir ]] && dir=${COMP_WORDS[i + 1]}
  done
  [[ -n $dir && -d $dir ]] || return
  local d
  for d in "$dir"/*/; do [[ -d $d ]] && basename "$d"; done
}
_{name}() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local commands="{commands}"
  local globals="--dir --config --env --bind --only --lock-timeout --step-lock-timeout --lock-retries --scratch-url --json -v -q --help --version"
  case $prev in
    --dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --config|--schema-file|--out) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --only) COMPREPLY=($(compgen -W "$(_{name}_binds)" -- "$cur")); return ;;
    --bind) compopt -o nospace 2>/dev/null
            COMPREPLY=($(compgen -W "$(_{name}_binds | sed 's/$/=/')" -- "$cur")); return ;;
    --dialect) COMPREPLY=($(compgen -W "sqlite postgresql" -- "$cur")); return ;;
    --format) COMPREPLY=($(compgen -W "json sql mermaid" -- "$cur")); return ;;
  esac
  local command="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    [[ " $commands " == *" ${COMP_WORDS[i]} "* ]] && { command=${COMP_WORDS[i]}; break; }
  done
  local own=""
  case $command in
{cases}  esac
  if [[ -z $command ]]; then
    COMPREPLY=($(compgen -W "$commands $globals" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$own $globals" -- "$cur"))
  fi
}
complete -F _{name} {program}
)SH";

void replace_all(std::string& text, const std::string& from, const std::string& to)
{
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

}  // namespace

std::string bash_completion(const std::string& program)
{
    std::string commands, cases;
    for (const auto& [command, options] : command_options()) {
        commands += (commands.empty() ? "" : " ") + command;
        cases += "    " + command + ") own=\"" + options + "\" ;;\n";
    }
    std::string name;
    for (char c : program)
        name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    std::string out = script;
    replace_all(out, "{commands}", commands);
    replace_all(out, "{cases}", cases);
    replace_all(out, "{name}", name);
    replace_all(out, "{program}", program);
    return out;
}

int cmd_completion(Context& c)
{
    Args a(c.options.args, {}, {}, "completion");
    if (a.positional().size() != 1 || a.positional().front() != "bash")
        throw UsageError("completion writes a bash completion script: completion bash");
    c.output.out() << bash_completion(c.program);
    return ok;
}

}  // namespace strata::cli::detail
