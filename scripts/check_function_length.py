"""Fail when a function or method in the product packages is longer than the limit (default 80 lines).

    python scripts/check_function_length.py [--max 80]

Counts from the ``def`` line to the last line of the body, docstring included; nested functions count toward
their parent too, since they are read as part of it.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

PRODUCT = ("common", "ingest", "vlm", "graph", "alerts", "query", "pipeline", "workers", "dashboard", "vidgraph")


def long_functions(root: Path, limit: int) -> list[tuple[str, int, str, int]]:
    found = []
    for package in PRODUCT:
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = (node.end_lineno or node.lineno) - node.lineno + 1
                    if length > limit:
                        found.append((str(path.relative_to(root)), node.lineno, node.name, length))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max", type=int, default=80)
    args = parser.parse_args()
    found = long_functions(Path(__file__).resolve().parents[1], args.max)
    for path, line, name, length in found:
        print(f"{path}:{line}: {name} is {length} lines (at most {args.max})")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
