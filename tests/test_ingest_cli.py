"""`iadef ingest` and `iadef review` end to end in a copy of the project (real model; never the real seeds/)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from iadef.cli.main import main
from iadef.ingest import decide, list_items
from iadef.paths import Project

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = (
    "Thales et l'Agence de l'innovation de défense (AID) ont conclu un partenariat sur l'intelligence artificielle.\n\n"
    "Le 12 mars 2025, la Direction générale de l'armement (DGA) a notifié à la société Naval Group un contrat de "
    "45 millions d'euros. Le contrat sera livré fin 2026.\n\nPar Jean Dupont\n"
)  # invented for the tests, not a real article


@pytest.fixture()
def proj(tmp_path: Path) -> Path:
    for name in ("ontology", "queries", "seeds"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def _run(proj: Path, *args: str) -> int:
    return main(["--root", str(proj), *args])


def test_dry_run_json_contract_changes_nothing(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {p: p.read_bytes() for p in (proj / "seeds").rglob("*") if p.is_file()}
    assert _run(proj, "ingest", str(proj / "article.txt"), "--dry-run", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"source", "entities", "facts"}
    assert {"title", "language", "issued", "url"} <= set(data["source"])
    ids = {e["id"] for e in data["entities"]}
    for entity in data["entities"]:
        assert {"id", "label", "class", "existing", "confidence", "mentions"} <= set(entity)
        for m in entity["mentions"]:
            assert ARTICLE[m["start"] : m["end"]] == m["text"]
    assert data["facts"]
    for fact in data["facts"]:
        assert {"id", "s", "p", "o", "v", "status", "quote", "start", "end", "confidence", "rule"} <= set(fact)
        assert ARTICLE[fact["start"] : fact["end"]] == fact["quote"]
        assert fact["s"] in ids and (fact["o"] is None or fact["o"] in ids)
    assert "Jean Dupont" not in {e["label"] for e in data["entities"]}
    after = {p: p.read_bytes() for p in (proj / "seeds").rglob("*") if p.is_file()}
    assert after == before


def test_ingest_review_apply_then_check_and_build(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(proj, "ingest", str(proj / "article.txt"), "--key", "doc-005-test", "--issued", "2025-03-12") == 0
    queue = proj / "seeds/review/doc-005-test.yaml"
    first = queue.read_bytes()
    assert (proj / "seeds/documents/article.txt").read_text(encoding="utf-8") == ARTICLE
    assert "doc-005-test:" in (proj / "seeds/sources.yaml").read_text(encoding="utf-8")
    assert "# The source documents." in (proj / "seeds/sources.yaml").read_text(encoding="utf-8")  # comments kept
    items = list_items_root(proj)
    assert items and all(i["decision"] == "pending" for i in items)
    rejected = next(i for i in items if i["kind"] == "fact")
    assert _run(proj, "review", "reject", rejected["id"]) == 0
    assert _run(proj, "review", "apply", "doc-005-test") == 1  # pending items block apply
    assert "still pending" in capsys.readouterr().err
    # re-ingest: same ids, the decision is kept, the rejected item is not proposed again
    assert _run(proj, "ingest", str(proj / "article.txt")) == 0
    again = {i["id"]: i["decision"] for i in list_items_root(proj)}
    assert again[rejected["id"]] == "rejected"
    assert set(again) == {i["id"] for i in items}
    for item in list_items_root(proj, "pending"):
        decide_root(proj, item["id"], "accepted")
    assert _run(proj, "review", "apply", "doc-005-test") == 0
    facts = (proj / "seeds/facts/doc-005-test.yaml").read_text(encoding="utf-8")
    assert "source: doc-005-test" in facts
    assert _run(proj, "check") == 0
    assert _run(proj, "build") == 0
    assert first  # the queue was written


def list_items_root(proj: Path, decision: str | None = None) -> list[dict[str, object]]:
    from iadef.paths import Project

    return list_items(Project(proj), "doc-005-test", decision)


def decide_root(proj: Path, item_id: str, decision: str) -> None:
    from iadef.paths import Project

    decide(Project(proj), "doc-005-test", item_id, decision)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"   \n\n", "file is empty"),
        (b"PK\x03\x04\x00\x00binary", "file is binary, not text"),
        (b"caf\xe9 latin-1", "not valid UTF-8 (byte 0xe9)"),
    ],
)
def test_bad_files(proj: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str) -> None:
    path = proj / "bad.txt"
    path.write_bytes(content)
    before = (proj / "seeds/sources.yaml").read_bytes()
    assert _run(proj, "ingest", str(path)) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"iadef: error: {path}") and message in err and "hint:" in err
    assert (proj / "seeds/sources.yaml").read_bytes() == before
    assert not (proj / "seeds/review").exists()


def test_too_big(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = proj / "big.txt"
    path.write_bytes(b"a" * (10 * 1024 * 1024 + 1))
    assert _run(proj, "ingest", str(path)) == 1
    assert "more than the 10485760 allowed (10 MB)" in capsys.readouterr().err


def test_a_named_pipe_is_refused_at_once(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = proj / "pipe.txt"
    os.mkfifo(fifo)
    assert _run(proj, "ingest", str(fifo), "--dry-run") == 1  # refused, not waited on
    assert f"iadef: error: {fifo}: not a regular file: it is a named pipe (FIFO)" in capsys.readouterr().err


def test_unknown_language(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(proj, "ingest", str(proj / "article.txt"), "--lang", "de") == 1
    assert "iadef: error: --lang: unknown language 'de'" in capsys.readouterr().err


def test_already_ingested_under_another_key(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = proj / "copy.txt"
    shutil.copy(ROOT / "seeds/documents/001_dfc88985ecd9a70d.txt", copy)
    assert _run(proj, "ingest", str(copy), "--key", "doc-009-other") == 1
    err = capsys.readouterr().err
    assert "already ingested as source 'doc-001-convention-armees-territoire-bretagne'" in err
    assert not (proj / "seeds/review").exists()


def test_help_does_not_import_spacy() -> None:
    import subprocess
    import sys

    code = "import sys; from iadef.cli.main import build_parser; build_parser(); print('spacy' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip() == "False"


def test_apply_names_every_incomplete_new_entity_and_accepts_provided_for(
    proj: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A convention with no party is refused; a partnership the convention provides for is complete (as the
    shapes say); every incomplete entity is named in the one error, and nothing is written."""
    text = "La convention prévoit un partenariat stratégique autour des enjeux de la robotique navale.\n"  # invented
    (proj / "article2.txt").write_text(text, encoding="utf-8")
    assert _run(proj, "ingest", str(proj / "article2.txt"), "--key", "doc-005-essai") == 0
    project = Project(proj)
    items = list_items(project, "doc-005-essai")
    for item in items:
        decide(project, "doc-005-essai", item["id"], "accepted")
    labels = {i["label"]: i for i in items if i["kind"] == "entity"}
    assert {"convention", "partenariat stratégique autour des enjeux de la robotique navale"} <= set(labels)
    capsys.readouterr()
    assert _run(proj, "review", "apply", "doc-005-essai") == 1
    err = capsys.readouterr().err
    assert "1 new entity incomplete" in err
    assert "(Convention 'convention') has no party, contractor or contracting authority" in err
    assert "partenariat" not in err  # providedForBy makes it complete
    assert not (proj / "seeds/facts/doc-005-essai.yaml").exists()
