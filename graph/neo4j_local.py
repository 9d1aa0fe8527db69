"""A local Neo4j 5 without Docker: build the launcher in ``graph/neo4j_launcher`` with Maven and run it.

The launcher is Neo4j Community's embedded ``DatabaseManagementService`` with its Bolt connector on a
loopback port: a real Neo4j server that the Python driver talks to like any other. Maven fetches every jar
from Maven Central into ``~/.m2``; the compiled launcher goes to a cache directory outside the repository,
keyed by the launcher's sources, so a second build (a clean clone, another checkout) costs nothing.

``vidgraph neo4j start|stop|status`` uses this for a developer's local Neo4j; the test suite starts one per
session when ``NEO4J_URI`` is unset. Production runs the official image (``docker-compose.yml``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

LAUNCHER = Path(__file__).resolve().parent / "neo4j_launcher"
MAIN_CLASS = "vidgraph.neo4j.Launcher"
USER = "neo4j"


class LocalNeo4jError(RuntimeError):
    """The local Neo4j could not be built or started (the message says why, in one line)."""


def available() -> str | None:
    """``None`` when Java and Maven are here, else what is missing (a reason to skip, in words)."""
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    return f"{' and '.join(missing)} not found on PATH" if missing else None


def _sources_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in LAUNCHER.rglob("*") if p.is_file() and "target" not in p.parts):
        digest.update(path.relative_to(LAUNCHER).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def build_dir() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "vidgraph" / f"neo4j-launcher-{_sources_digest()}"


def ensure_built(quiet: bool = True) -> Path:
    """Compile the launcher and collect its jars (once per launcher version); returns the build directory."""
    out = build_dir()
    if (out / "BUILT").is_file():
        return out
    if reason := available():
        raise LocalNeo4jError(f"cannot build the local Neo4j: {reason}")
    command = ["mvn", "-B", "package", f"-Dlauncher.out={out}", "-f", str(LAUNCHER / "pom.xml")]
    if quiet:
        command.insert(1, "-q")
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
        raise LocalNeo4jError(f"building the local Neo4j failed (mvn exit {done.returncode}): {' | '.join(tail)}")
    (out / "BUILT").write_text(time.strftime("%Y-%m-%dT%H:%M:%S\n"))
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@dataclass(slots=True)
class LocalNeo4j:
    """A running local Neo4j: its home directory (data, logs, pid file) and Bolt port."""

    home: Path
    port: int
    pid: int

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def running(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def stop(self, timeout_s: float = 60.0) -> None:
        """Shut Neo4j down cleanly (SIGTERM runs its shutdown hook); SIGKILL if it does not end in time."""
        _signal_and_wait(self.pid, timeout_s)
        (self.home / "launcher.pid").unlink(missing_ok=True)

    def kill(self) -> None:
        """End it at once, as a crash or a pulled cable would (for outage tests)."""
        _signal_and_wait(self.pid, 10.0, first=signal.SIGKILL)
        (self.home / "launcher.pid").unlink(missing_ok=True)


def _signal_and_wait(pid: int, timeout_s: float, first: int = signal.SIGTERM) -> None:
    try:
        os.kill(pid, first)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            waited, _ = os.waitpid(pid, os.WNOHANG)  # our own child: reap it
        except ChildProcessError:  # started by another process: poll for its end
            waited = 0 if _alive(pid) else pid
        if waited == pid:
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def start(home: Path, port: int, password: str, heap_mb: int = 1024, pagecache_mb: int = 256,
          wait_s: float = 180.0, owner_pid: int | None = None) -> LocalNeo4j:
    """Start Neo4j on ``127.0.0.1:port`` with its data under ``home``; return once Bolt answers.

    The password of user ``neo4j`` is handed over in the environment, never on the command line. With
    ``owner_pid`` Neo4j shuts itself down when that process ends (a test session that was killed).
    """
    if len(password) < 8:
        raise LocalNeo4jError("the Neo4j password must have at least 8 characters (NEO4J_PASSWORD)")
    home = home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    existing = status(home)
    if existing is not None:
        raise LocalNeo4jError(f"a local Neo4j already runs from {home} on {existing.uri} (pid {existing.pid})")
    if _answers(port):
        raise LocalNeo4jError(f"port {port} on 127.0.0.1 is taken by another program: choose another with --port")
    out = ensure_built()
    classpath = f"{out / 'classes'}{os.pathsep}{out / 'lib' / '*'}"
    log_path = home / "launcher.log"
    command = ["java", f"-Xmx{heap_mb}m", "-XX:+UseG1GC", "-cp", classpath, MAIN_CLASS, str(home / "db"),
               str(port), str(pagecache_mb), *([str(owner_pid)] if owner_pid else [])]
    env = {**os.environ, "NEO4J_PASSWORD": password}
    with open(log_path, "w") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    (home / "launcher.pid").write_text(f"{proc.pid} {port}\n")
    server = LocalNeo4j(home, port, proc.pid)
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            (home / "launcher.pid").unlink(missing_ok=True)
            tail = " | ".join(log_path.read_text(errors="replace").strip().splitlines()[-3:])
            raise LocalNeo4jError(f"Neo4j exited during start (code {proc.returncode}): {tail}")
        if "READY " in log_path.read_text(errors="replace") and _answers(port):
            return server
        time.sleep(0.25)
    server.stop()
    tail = " | ".join(log_path.read_text(errors="replace").strip().splitlines()[-3:])
    raise LocalNeo4jError(f"Neo4j did not answer on {server.uri} within {wait_s:.0f} s (log: {log_path}): {tail}")


def status(home: Path) -> LocalNeo4j | None:
    """The local Neo4j running from ``home``, if any (a stale pid file is removed)."""
    pid_file = home.resolve() / "launcher.pid"
    if not pid_file.is_file():
        return None
    try:
        pid_text, port_text = pid_file.read_text().split()
        server = LocalNeo4j(home.resolve(), int(port_text), int(pid_text))
    except ValueError:
        pid_file.unlink(missing_ok=True)
        return None
    if not server.running():
        pid_file.unlink(missing_ok=True)
        return None
    return server
