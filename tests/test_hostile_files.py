"""Hostile files and paths (issue 14, items 1, 2 and 6): ``viz --out`` never writes over the
project's data or a file that is not an iadef page; seed paths that lead out of the project
are refused; devices, named pipes and links to them are refused before they are opened."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iadef.cli.main import main
from iadef.paths import Project

ROOT = Path(__file__).resolve().parents[1]
DOC0 = "seeds/documents/000_ca57dd0de0f14747.txt"
NOT_REGULAR = "  hint: give a plain file: not a device, a named pipe, a socket or a folder (nor a link to one)\n"
OWNED_HINT = (
    "  hint: write the page outside graph/, seeds/, ontology/ and queries/ (e.g. --out network.html), "
    "or leave out --out for graph/iadef.html\n"
)


# ------------------------------------------------------------------ item 1: viz --out


@pytest.fixture
def viz_root(tmp_path: Path, root: Path) -> Path:
    """A built project with its seeds, to try to overwrite."""
    folder = tmp_path / "project"
    shutil.copytree(root, folder)
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    return folder


OWNED = [
    ("graph/iadef.nq", "graph"),
    ("seeds/entities.yaml", "seeds"),
    ("ontology/new.html", "ontology"),
    ("queries/partners.rq", "queries"),
]


@pytest.mark.parametrize(("out", "owner"), OWNED)
def test_viz_never_writes_into_the_project_data(
    viz_root: Path, out: str, owner: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(viz_root)
    target = viz_root / out
    before = target.read_bytes() if target.exists() else None
    assert main(["--root", str(viz_root), "viz", "--out", out, "--force"]) == 1
    assert capsys.readouterr().err == (
        f"iadef: error: --out {out}: refused, it is inside {owner}/, which holds the project's own data\n{OWNED_HINT}"
    )
    assert (target.read_bytes() if target.exists() else None) == before


def test_viz_through_a_link_into_seeds_is_refused(
    viz_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "page.html"
    link.symlink_to(viz_root / "seeds" / "entities.yaml")
    before = (viz_root / "seeds" / "entities.yaml").read_bytes()
    assert main(["--root", str(viz_root), "viz", "--out", str(link)]) == 1
    assert "refused, it is inside seeds/, which holds the project's own data" in capsys.readouterr().err
    assert (viz_root / "seeds" / "entities.yaml").read_bytes() == before


def test_viz_does_not_replace_a_file_it_did_not_write(
    viz_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.html"
    notes.write_text("<p>my notes</p>\n", encoding="utf-8")
    assert main(["--root", str(viz_root), "viz", "--out", str(notes)]) == 1
    assert capsys.readouterr().err == (
        f"iadef: error: --out {notes}: refused to replace a file that is not a page written by iadef viz\n"
        "  hint: choose another file name, or pass --force to replace it\n"
    )
    assert notes.read_text(encoding="utf-8") == "<p>my notes</p>\n"
    assert main(["--root", str(viz_root), "viz", "--out", str(notes), "--force"]) == 0
    assert notes.read_bytes().startswith(b"<!DOCTYPE html>")
    assert main(["--root", str(viz_root), "viz", "--out", str(notes)]) == 0  # now an iadef page: replaced freely


# ------------------------------------------------------------------ item 2: seed paths


@pytest.mark.parametrize(
    ("file", "resolved"),
    [("/etc/passwd", "/etc/passwd"), ("../../../../../../../../etc/hostname", "/etc/hostname")],
)
def test_a_source_file_outside_the_documents_is_refused(
    scratch: Project, file: str, resolved: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = scratch.sources.read_text(encoding="utf-8")
    scratch.sources.write_text(sources.replace("file: 000_ca57dd0de0f14747.txt", f"file: {file}", 1), encoding="utf-8")
    assert main(["--root", str(scratch.root), "build"]) == 1
    assert capsys.readouterr().err == (
        f"iadef: error: seeds/sources.yaml:11: document file {file!r} resolves to {resolved}, "
        "outside seeds/documents/\n"
        "  hint: copy the document into seeds/documents/ and give its name there "
        "(no absolute path, no .., no link leading out)\n"
    )
    assert os.listdir(scratch.graph) == []


def test_a_document_linked_from_outside_is_refused(
    scratch: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.txt"
    (scratch.root / DOC0).rename(outside)
    (scratch.root / DOC0).symlink_to(outside)
    assert main(["--root", str(scratch.root), "check"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "iadef: error: seeds/sources.yaml:11: document file '000_ca57dd0de0f14747.txt' "
        f"resolves to {outside}, outside seeds/documents/"
    )


def test_a_facts_file_linked_from_outside_is_refused(
    scratch: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "elsewhere.yaml"
    shutil.copy(next(scratch.facts.glob("*.yaml")), outside)
    (scratch.facts / "zz-linked.yaml").symlink_to(outside)
    assert main(["--root", str(scratch.root), "check"]) == 1
    assert capsys.readouterr().err == (
        f"iadef: error: seeds/facts/zz-linked.yaml: resolves to {outside}, outside seeds/facts/\n"
        "  hint: put the file itself in seeds/facts/ (no link or path leading out of it)\n"
    )


# ------------------------------------------------------------------ item 6: devices and pipes


def run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    """In a child with a time limit: a read that blocks must fail the test, not hang it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "iadef", *argv], capture_output=True, text=True, env=env, timeout=60)


def test_a_facts_file_that_is_a_named_pipe_is_refused_at_once(scratch: Project) -> None:
    os.mkfifo(scratch.facts / "pipe.yaml")
    done = run(["--root", str(scratch.root), "check"])
    assert done.returncode == 1
    assert (
        done.stderr
        == f"iadef: error: seeds/facts/pipe.yaml: not a regular file: it is a named pipe (FIFO)\n{NOT_REGULAR}"
    )


def test_a_facts_file_linked_to_dev_zero_through_a_link_inside_is_refused(scratch: Project, tmp_path: Path) -> None:
    devices = scratch.facts / "devices"
    devices.mkdir()
    (devices / "zero").symlink_to("/dev/zero")  # a link inside seeds/facts/ to a device
    (scratch.facts / "zero.yaml").symlink_to(devices / "zero")
    done = run(["--root", str(scratch.root), "check"])
    assert done.returncode == 1
    assert done.stderr.startswith("iadef: error: seeds/facts/zero.yaml: resolves to /dev/zero, outside seeds/facts/\n")


def test_validate_refuses_a_link_to_dev_zero(scratch: Project, tmp_path: Path) -> None:
    (tmp_path / "z.nt").symlink_to("/dev/zero")
    done = run(["--root", str(scratch.root), "validate", str(tmp_path / "z.nt")])
    assert done.returncode == 1
    assert (
        done.stderr == f"iadef: error: {tmp_path / 'z.nt'}: not a regular file: it is a character device\n{NOT_REGULAR}"
    )


def test_read_bounded_reads_at_most_the_limit(tmp_path: Path) -> None:
    from iadef.errors import IadefError
    from iadef.files import read_bounded

    (tmp_path / "big").write_bytes(b"x" * 5000)
    with pytest.raises(IadefError) as raised:
        read_bounded(tmp_path / "big", "big", 1000)
    assert str(raised.value) == "big: file is 5000 bytes, more than the 1000 allowed"
    assert read_bounded(tmp_path / "big", "big", 5000) == b"x" * 5000


def test_a_documents_folder_linked_from_outside_the_project_is_refused(
    scratch: Project, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """A whole folder linked in would make the graph record absolute paths: refused."""
    shared = tmp_path_factory.mktemp("elsewhere") / "shared-documents"
    (scratch.documents).rename(shared)
    scratch.documents.symlink_to(shared)
    assert main(["--root", str(scratch.root), "check"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "iadef: error: seeds/sources.yaml:11: document file '000_ca57dd0de0f14747.txt' "
        f"resolves to {shared / '000_ca57dd0de0f14747.txt'}, outside seeds/documents/"
    )


def test_a_named_pipe_among_the_queries_is_refused(root: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(root, project)
    os.mkfifo(project / "queries" / "zz-pipe.rq")
    done = run(["--root", str(project), "queries"])
    assert done.returncode == 1
    assert (
        done.stderr == f"iadef: error: queries/zz-pipe.rq: not a regular file: it is a named pipe (FIFO)\n{NOT_REGULAR}"
    )


@pytest.mark.parametrize("folder", ["ontology", "seeds", "queries"])
def test_build_out_never_writes_into_the_project_data(
    scratch: Project, folder: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`iadef build --out ontology` would replace ontology/iadef.ttl by the merged graph."""
    shutil.copytree(ROOT / "queries", scratch.root / "queries")
    monkeypatch.chdir(scratch.root)
    before = {path: path.read_bytes() for path in (scratch.root / folder).rglob("*") if path.is_file()}
    assert main(["--root", str(scratch.root), "build", "--out", folder]) == 1
    assert capsys.readouterr().err == (
        f"iadef: error: --out {folder}: refused, it is inside {folder}/, which holds the project's own data\n"
        "  hint: write the build outside seeds/, ontology/ and queries/ (e.g. --out /tmp/graph), "
        "or leave out --out for graph/\n"
    )
    assert {path: path.read_bytes() for path in (scratch.root / folder).rglob("*") if path.is_file()} == before
