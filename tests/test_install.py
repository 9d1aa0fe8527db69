"""The README's first command on a fresh virtualenv: it installs only what the main job needs (no test tools,
no torch) and runs the main job; commands that need an extra say so in one line."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import REPO, SHELL_ENV


def readme_commands() -> tuple[str, str]:
    block = re.search(r"```bash\n(.*?)```", (REPO / "README.md").read_text(), re.S).group(1)
    lines = [line for line in block.splitlines() if line and not line.startswith("#")]
    return lines[0], lines[1]


def test_the_test_command_is_what_ci_runs():
    _, test_command = readme_commands()
    assert test_command == "bash scripts/test.sh"
    assert "bash scripts/test.sh" in (REPO / ".ci" / "run").read_text()


def test_the_first_command_installs_a_lean_main_job_that_answers(tmp_path):
    first, _ = readme_commands()
    assert "[test]" not in first and "pip install -e ." in first
    venv = tmp_path / "venv"
    command = first.replace(".venv", str(venv))
    env = {**SHELL_ENV, "VIDGRAPH_DATA_DIR": str(tmp_path / "data"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    done = subprocess.run(["bash", "-c", command], cwd=REPO, env=env, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-2000:]
    assert re.search(r"^4 cars( that went past \(moved, then left the picture\))?: ", done.stdout, re.M), done.stdout
    site = next((venv / "lib").glob("python3.*/site-packages"))
    installed = {p.name.split("-")[0].lower() for p in site.glob("*.dist-info")}
    assert "vidgraph" in installed
    assert not installed & {"torch", "pytest", "celery", "streamlit", "neo4j", "playwright"}, installed


def test_a_command_whose_extra_is_missing_says_which_in_one_line():
    # celery and uvicorn hidden as if the service extra were not installed
    script = (
        "import sys, importlib.abc\n"
        "class Hide(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('celery', 'uvicorn'):\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Hide())\n"
        "import importlib.util\n"
        "real = importlib.util.find_spec\n"
        "importlib.util.find_spec = lambda n, *a: None if n in ('celery', 'uvicorn') else real(n, *a)\n"
        "from vidgraph.cli import app\n"
        "sys.argv = ['vidgraph', *sys.argv[1:]]\n"
        "app()\n"
    )
    for args in (["serve"], ["worker"], ["stream", "list"]):
        done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True,
                              env={**os.environ, "COLUMNS": "200"}, timeout=60)
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "needs the service extra" in lines[0] and "pip install -e '.[service]'" in lines[0]
