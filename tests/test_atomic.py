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
from iadef.output import KILL_AT_ENV, SLOW_WRITE_ENV, remove_stale_temporaries, write_all, write_atomic
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


# ------------------------------------------------ issue 14, item 5: the four files as one set

MIXED = (
    "iadef: error: graph/iadef.nq is not the file graph/manifest.json records (another SHA-256): the folder holds "
    "files of two different builds, from a build that was interrupted or is being written\n"
    "  hint: run `iadef build` to write the whole set again\n"
)
KILL_STEPS = [
    "staged:iadef.nq",  # nothing renamed yet
    "staged:manifest.json",  # all four staged, none renamed
    "linked:iadef.nq",  # a named temporary file beside the old one
    "renamed:iadef.nq",  # new iadef.nq, old trig, ttl and manifest
    "linked:iadef.ttl",
    "renamed:iadef.ttl",  # new data files, old manifest
    "linked:manifest.json",
    "renamed:manifest.json",  # the whole new set
]


def restore(folder: Path, files: dict[str, bytes]) -> None:
    for name in os.listdir(folder):
        (folder / name).unlink()
    for name, content in files.items():
        (folder / name).write_bytes(content)


def build_killed_at(project: Project, step: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, KILL_AT_ENV: step}
    command = [sys.executable, "-m", "iadef", "--root", str(project.root), "build"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def test_a_build_killed_at_any_step_leaves_an_old_set_a_new_set_or_one_every_reader_refuses(
    scratch: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(scratch.root), "build"]) == 0
    old = snapshot(scratch.graph)
    change_a_label(scratch)
    assert main(["--root", str(scratch.root), "build", "--out", str(tmp_path / "new")]) == 0
    new = snapshot(tmp_path / "new")
    assert all(old[name] != new[name] for name in old)
    seen = {}
    for step in KILL_STEPS:
        restore(scratch.graph, old)
        done = build_killed_at(scratch, step)
        assert done.returncode == -signal.SIGKILL, (step, done.stderr)
        after = snapshot(scratch.graph)
        leftovers = sorted(set(after) - set(old))
        assert all(name.startswith(".") and name.endswith(".tmp") for name in leftovers), (step, leftovers)
        files = {name: after[name] for name in old}
        capsys.readouterr()
        answer = main(["--root", str(scratch.root), "stats"])
        err = capsys.readouterr().err
        if files == old:
            seen[step] = "old"
            assert answer == 0, step
        elif files == new:
            seen[step] = "new"
            assert answer == 0, step
        else:  # some data files are new, the manifest is old: every reader refuses the set
            seen[step] = "refused"
            assert files["manifest.json"] == old["manifest.json"], step
            assert (answer, err) == (1, MIXED), step
            assert main(["--root", str(scratch.root), "stats", "--store", "oxigraph"]) == 1
            assert capsys.readouterr().err == MIXED
            assert main(["--root", str(scratch.root), "push", "--endpoint", "http://127.0.0.1:9/sparql"]) == 1
            assert capsys.readouterr().err == MIXED  # refused before any request
    assert seen == {
        "staged:iadef.nq": "old",
        "staged:manifest.json": "old",
        "linked:iadef.nq": "old",
        "renamed:iadef.nq": "refused",
        "linked:iadef.ttl": "refused",
        "renamed:iadef.ttl": "refused",
        "linked:manifest.json": "refused",
        "renamed:manifest.json": "new",
    }
    # killed between link and rename, then built again: the dead build's temporary file is removed
    restore(scratch.graph, old)
    done = build_killed_at(scratch, "linked:iadef.trig")
    assert done.returncode == -signal.SIGKILL
    assert any(name.startswith(".iadef.trig.") for name in os.listdir(scratch.graph))
    assert main(["--root", str(scratch.root), "build"]) == 0
    assert snapshot(scratch.graph) == new


def test_only_temporary_files_of_dead_writers_are_removed(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    names = [f".iadef.nq.{pid}.tmp", f".iadef.trig.{pid}.k2x9.tmp", f".iadef.nq.{os.getpid()}.tmp", ".notes.tmp"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    assert remove_stale_temporaries(tmp_path) == sorted(names[:2])
    assert sorted(os.listdir(tmp_path)) == sorted(names[2:])


def test_a_server_keeps_serving_the_previous_build_when_the_set_is_mixed(
    scratch: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from iadef.serve.reload import build_state
    from iadef.serve.server import ServeConfig, running
    from iadef.stores.setting import StoreSpec

    assert main(["--root", str(scratch.root), "build"]) == 0
    old = snapshot(scratch.graph)
    change_a_label(scratch)
    assert main(["--root", str(scratch.root), "build", "--out", str(tmp_path / "new")]) == 0
    lines: list[str] = []
    config = ServeConfig(port=0, workers=1, quiet=True, reload_interval=0)
    with running(scratch, StoreSpec("oxigraph"), config, log=lines.append) as server:
        (scratch.graph / "iadef.nq").write_bytes((tmp_path / "new" / "iadef.nq").read_bytes())  # new nq, old manifest
        assert server.reload() is False
        assert lines[-1] == (
            "iadef serve: the new build in graph/iadef.nq could not be loaded (graph/iadef.nq is not the file "
            "graph/manifest.json records (another SHA-256): the folder holds files of two different builds, from a "
            "build that was interrupted or is being written); still serving the previous one"
        )
        refused = build_state(scratch)
        (scratch.graph / "manifest.json").write_bytes((tmp_path / "new" / "manifest.json").read_bytes())
        assert build_state(scratch) != refused  # the watcher tries again once the manifest is in place
        assert server.reload() is True
    assert old["iadef.nq"] != (scratch.graph / "iadef.nq").read_bytes()
