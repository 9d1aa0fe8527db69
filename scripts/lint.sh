#!/usr/bin/env bash
# The layering and style of the product packages, enforced (run by scripts/test.sh before the tests):
# import contracts (pyproject.toml [tool.importlinter]), ruff, mypy, and no function over 80 lines.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
status=0
"$bin/lint-imports" --no-cache >/tmp/vidgraph-lint-imports.log 2>&1 || { cat /tmp/vidgraph-lint-imports.log; status=1; }
grep -E "Contracts:" /tmp/vidgraph-lint-imports.log || true
"$bin/ruff" check . || status=1
"$bin/mypy" || status=1
"$bin/python" scripts/check_function_length.py --max 80 && echo "functions: none over 80 lines" || status=1
exit "$status"
