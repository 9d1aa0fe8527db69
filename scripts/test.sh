#!/usr/bin/env bash
# The test command (README, .ci/run): OS packages and services the tests need, a virtualenv with the `test`
# extra, then the suite. Idempotent, and quick when everything is already there. Prints the total time.
set -uo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
finish() {
  local status=$1
  echo "total time of the test command: $(( $(date +%s) - started )) s (exit $status)" >&2
  exit "$status"
}
step() {  # step NAME COMMAND...: run one step, stop the whole run with its exit status if it fails
  local name=$1; shift
  local t0; t0=$(date +%s)
  "$@"
  local status=$?
  echo "[$name: $(( $(date +%s) - t0 )) s]" >&2
  if [ "$status" -ne 0 ]; then
    echo "error: step '$name' failed (exit $status)" >&2
    finish "$status"
  fi
}
step "system packages" bash scripts/install-system-deps.sh
step "services" bash scripts/start-services.sh
step "virtualenv" python3.11 -m venv .venv
step "python packages" .venv/bin/pip install -q -e '.[test]'
step "lint" bash scripts/lint.sh
step "tests" .venv/bin/python -m pytest
finish 0
