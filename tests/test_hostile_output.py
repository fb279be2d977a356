"""Standard output that cannot take the answer (issue 14, item 3): a full disk, /dev/full, a
file over its size limit, a closed stdout, a Latin-1 terminal. Each gives one message and
exit 1, never a traceback, never exit 0 with a truncated answer."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DESCRIBE = "DESCRIBE ?s WHERE { ?s ?p ?o }"
NO_SPACE = (
    "iadef: error: cannot write to standard output: {why}; the output is incomplete\n"
    "  hint: free space (or raise the file size limit) where the output goes, or send it elsewhere\n"
)


def run(root: Path, args: list[str], *, stdout: object, env: dict[str, str] | None = None, **kw: object):  # type: ignore[no-untyped-def]
    environ = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "iadef", "--root", str(root), *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=environ,
        text=True,
        timeout=120,
        **kw,
    )


def test_dev_full(root: Path) -> None:
    with open("/dev/full", "w") as full:
        done = run(root, ["queries"], stdout=full)
    assert done.returncode == 1
    assert done.stderr == NO_SPACE.format(why="No space left on device")


def test_a_file_that_cannot_grow_is_not_left_truncated_with_exit_0(root: Path, tmp_path: Path) -> None:
    """A file system that fills up: the file size limit (RLIMIT_FSIZE) makes the write fail the same way."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    out = tmp_path / "out.ttl"
    with out.open("w") as file:
        done = run(root, ["sparql", DESCRIBE], stdout=file, preexec_fn=limit)
    assert done.returncode == 1
    assert done.stderr == NO_SPACE.format(why="File too large")
    assert out.stat().st_size == 4096


def test_a_closed_stdout(root: Path) -> None:
    done = run(root, ["queries"], stdout=subprocess.DEVNULL, preexec_fn=lambda: os.close(1))
    assert done.returncode == 1
    assert done.stderr == (
        "iadef: error: standard output is closed: nothing could be printed\n"
        "  hint: run the command with its output going somewhere (a terminal, a file: > out.txt, or a pipe)\n"
    )


def test_a_latin1_terminal(root: Path) -> None:
    args = ["query", "partners-of", "--param", "actor=mistral"]
    done = run(root, args, stdout=subprocess.PIPE, env={"PYTHONIOENCODING": "latin-1"})
    assert done.returncode == 1
    assert done.stderr == (
        "iadef: error: standard output cannot show '\\u2026' (U+2026): its encoding is latin-1\n"
        "  hint: use a UTF-8 locale (e.g. LANG=C.UTF-8) or set PYTHONIOENCODING=utf-8\n"
    )


def test_a_closed_pipe_is_still_a_quiet_end(root: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "iadef", "--root", str(root), "sparql", DESCRIBE],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 0
    assert err == b""
