#!/usr/bin/env bash
# Static checks, run by `npm run lint` and as part of `npm run test:unit`, in this order, stopping at the first
# that fails:
#   1. ESLint on the TypeScript and JavaScript (eslint.config.mjs; syntax rules only, no type information)
#   2. Prettier --check on TypeScript, JavaScript and JSON (.prettierrc.json, .prettierignore; 140 columns)
#   3. knip: unused files, exports and dependencies (knip.jsonc; the root program and the crawler package)
#   4. shellcheck on every tracked shell script (*.sh, and extension-less files with a shell shebang;
#      .ci/ is the CI machinery's, not ours). shellcheck comes from Debian's package: when it is missing, this
#      script installs it with apt-get as root (or through sudo without a password), else says how to.
#   5. actionlint on .github/workflows/ (with shellcheck on their run: scripts), built from the Go module proxy and
#      cached by bootstrap/actionlint/install.sh (about 15 s once, then instant)
#   6. Ruff on every tracked Python file and notebook (ruff.toml: the checks that find bugs, not style), pinned in
#      bootstrap/ruff/requirements.txt and installed into a cached venv by bootstrap/ruff/install.sh (seconds once)
# The Node tools are the pinned devDependencies (npm ci first). To fix formatting: npm run format (prettier --write).
set -euo pipefail
repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
bin="$repo/node_modules/.bin"
start=$SECONDS

fail() { echo "lint: FAILED: $*" >&2; exit 1; }

step() { # NAME COMMAND...: runs one check, stops the run with a message naming it when it fails
  local name=$1 t=$SECONDS
  shift
  echo "== lint: $name"
  "$@" || fail "$name found problems (listed above); nothing after it was checked"
  echo "== lint: $name passed ($((SECONDS - t)) s)"
}

for tool in eslint prettier knip; do
  [ -x "$bin/$tool" ] || fail "$tool is not installed in node_modules: run 'npm ci' in $repo first"
done

ensure_shellcheck() {
  command -v shellcheck >/dev/null 2>&1 && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      fail "shellcheck is not installed; install Debian's package as root: apt-get install -y shellcheck"
    fi
  fi
  command -v apt-get >/dev/null 2>&1 || fail "shellcheck is not installed and there is no apt-get here; install shellcheck (0.9 or later)"
  echo "== lint: shellcheck is missing; installing Debian's package"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine may have no package lists yet: update them once if the first try cannot find the package.
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends shellcheck >/dev/null \
    || { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq --no-install-recommends shellcheck >/dev/null; } \
    || fail "could not install shellcheck with apt-get; install it by hand: apt-get install -y shellcheck"
  command -v shellcheck >/dev/null 2>&1 || fail "apt-get ran but shellcheck is still not on PATH"
}

shell_scripts() { # prints, NUL-separated, the tracked shell scripts shellcheck checks
  local f first
  git ls-files -z -- '*.sh' ':!:.ci/**'
  while IFS= read -r -d '' f; do
    case "${f##*/}" in *.*) continue ;; esac
    [ -f "$f" ] || continue
    IFS= read -r first <"$f" || true
    if [[ $first =~ ^\#\!.*[/\ ](ba|da|k)?sh([[:space:]]|$) ]]; then printf '%s\0' "$f"; fi
  done < <(git ls-files -z -- ':!:.ci/**')
}

run_shellcheck() {
  ensure_shellcheck
  local scripts=()
  mapfile -d '' -t scripts < <(shell_scripts)
  [ "${#scripts[@]}" -gt 0 ] || fail "found no tracked shell scripts (is this a git checkout?)"
  echo "   shellcheck $(shellcheck --version | sed -n 's/^version: //p') on ${#scripts[@]} scripts"
  # .shellcheckrc at the root sets the options (external sources are followed)
  shellcheck "${scripts[@]}"
}

run_actionlint() {
  ensure_shellcheck
  local actionlint
  actionlint=$(bash bootstrap/actionlint/install.sh | tail -n 1)
  echo "   actionlint $("$actionlint" -version | head -n 1) on $(git ls-files -- '.github/workflows/*.yml' | wc -l) workflows"
  "$actionlint" -no-color
}

run_ruff() {
  local ruff files=()
  ruff=$(bash bootstrap/ruff/install.sh | tail -n 1)
  mapfile -d '' -t files < <(git ls-files -z -- '*.py' '*.ipynb')
  [ "${#files[@]}" -gt 0 ] || fail "found no tracked Python files (is this a git checkout?)"
  echo "   $("$ruff" --version) on ${#files[@]} files"
  "$ruff" check --no-cache --quiet "${files[@]}"
}

git rev-parse --is-inside-work-tree >/dev/null 2>&1 || fail "$repo is not a git checkout: the scripts to check are the tracked ones"

step "eslint" "$bin/eslint" --max-warnings 0 .
step "prettier --check" "$bin/prettier" --check --log-level warn .
step "knip (dead files, exports, dependencies)" "$bin/knip" --no-progress
step "shellcheck" run_shellcheck
step "actionlint (GitHub Actions workflows)" run_actionlint
step "ruff (Python and notebooks)" run_ruff
echo "== lint: all checks passed in $((SECONDS - start)) s"
