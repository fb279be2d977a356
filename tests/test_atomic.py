"""Never losing data: a build killed part-way (kill -9) leaves graph/ byte-identical and
no temporary file; a write that fails half-way leaves every file as it was.

The kill test uses the test hook ``IADEF_TEST_SLOW_WRITE_MS`` of :mod:`iadef.output`:
after staging each file (written and fsynced, not yet renamed) the build announces it
on stderr and waits, which gives the test a moment to kill it mid-way.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from iadef.cli.main import main
from iadef.errors import OutputError
from iadef.output import SLOW_WRITE_ENV, write_all, write_atomic
from iadef.paths import Project

ENTITIES = "seeds/entities.yaml"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every entry of the folder, hidden ones included."""
    return {name: (folder / name).read_bytes() for name in sorted(os.listdir(folder))}


def change_a_label(project: Project) -> None:
    path = project.root / ENTITIES
    text = path.read_text(encoding="utf-8")
    assert "en: French State" in text
    path.write_text(text.replace("en: French State", "en: The French State"), encoding="utf-8")


def build_slowly(project: Project, delay_ms: int) -> subprocess.Popen[str]:
    env = {**os.environ, SLOW_WRITE_ENV: str(delay_ms)}
    return subprocess.Popen(
        [sys.executable, "-m", "iadef", "--root", str(project.root), "build"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_build_killed_while_writing_leaves_graph_untouched(scratch: Project) -> None:
    assert main(["--root", str(scratch.root), "build"]) == 0
    before = snapshot(scratch.graph)
    change_a_label(scratch)  # every output file would change
    proc = build_slowly(scratch, 2_000)
    assert proc.stderr is not None
    staged = []
    try:
        while len(staged) < 2:  # two of the four files staged: the build is half-way
            line = proc.stderr.readline()
            assert line, f"the build ended before writing: {staged}"
            staged.append(line.strip())
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert staged == [f"{SLOW_WRITE_ENV}: staged iadef.nq", f"{SLOW_WRITE_ENV}: staged iadef.trig"]
    assert snapshot(scratch.graph) == before  # same names (no temporary file), same bytes


def test_the_slowed_build_completes_when_left_alone(scratch: Project) -> None:
    assert main(["--root", str(scratch.root), "build"]) == 0
    before = snapshot(scratch.graph)
    change_a_label(scratch)
    proc = build_slowly(scratch, 10)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    after = snapshot(scratch.graph)
    assert sorted(after) == sorted(before)
    assert all(after[name] != before[name] for name in before)
    assert b"The French State" in after["iadef.nq"]


def test_a_failure_while_staging_leaves_every_file_as_it_was(tmp_path: Path) -> None:
    first, blocker = tmp_path / "a.txt", tmp_path / "blocker"
    first.write_bytes(b"old")
    blocker.write_bytes(b"a file where a folder is needed")
    second = blocker / "b.txt"
    with pytest.raises(OutputError) as caught:
        write_all({first: b"new", second: b"new"})
    assert str(caught.value) == f"{second}: cannot write {second}: Not a directory"
    assert first.read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "blocker"]


def test_a_failed_rename_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "graph.nq"
    target.mkdir()  # a folder cannot be replaced by a file
    with pytest.raises(OutputError) as caught:
        write_atomic(target, b"data")
    assert str(caught.value) == f"{target}: cannot write {target}: Is a directory"
    assert os.listdir(tmp_path) == ["graph.nq"]
    assert os.listdir(target) == []


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    same, other = tmp_path / "same.txt", tmp_path / "other.txt"
    same.write_bytes(b"x")
    os.utime(same, (1, 1))
    assert write_all({same: b"x", other: b"y"}) == [other]
    assert same.stat().st_mtime == 1
    assert other.read_bytes() == b"y"
    assert (other.stat().st_mode & 0o777) == 0o644
