"""A fact may not say more than its quote: the three rules of iadef.curation.attestation (issue 13).

Each rule is tried on a private copy of the project (the ``scratch`` fixture) by appending one
fact to a real facts file, through ``iadef check`` and ``iadef build``, with the exact message.
"""

from __future__ import annotations

import pytest

from iadef.cli.main import main
from iadef.curation.attestation import STATUS_WORDS_FILE, check_attestation, fold, mentions
from iadef.curation.loader import Seeds
from iadef.curation.ontology import Ontology
from iadef.paths import Project

DOC2 = "seeds/facts/doc-002-supercalculateur-classifie-ia.yaml"
HINT = "  hint: quote a passage that names the fact's ends and attests its status"


def _append(project: Project, rel: str, fact: str) -> int:
    """Add ``fact`` (YAML lines of one list item) at the end of the facts list; its line."""
    path = project.root / rel
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + fact, encoding="utf-8")
    return text.count("\n") + 1


def _fact(s: str, p: str, o: str, quote: str, *, status: str | None = None, note: str | None = None) -> str:
    lines = [f"  - s: {s}", f"    p: {p}", f"    o: {o}", f"    quote: '{quote}'"]
    if status is not None:
        lines.append(f"    status: {status}")
    if note is not None:
        lines.append(f"    note: '{note}'")
    return "\n".join(lines) + "\n"


def _run(project: Project, capsys: pytest.CaptureFixture[str], command: str = "check") -> tuple[int, str, str]:
    code = main(["--root", str(project.root), command])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ------------------------------------------------------------------ the three rules, refused


def test_a_fact_relating_an_entity_to_itself_is_refused(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    line = _append(scratch, DOC2, _fact("orange", "memberOf", "orange", "groupement Hewlett Packard Enterprise/Orange"))
    code, _, err = _run(scratch, capsys)
    assert code == 1
    assert err == (
        f"iadef: error: {DOC2}:{line}: orange memberOf orange: a fact cannot relate an entity to itself "
        "[self-relation]\n" + err.split("\n", 1)[1]
    )
    assert err.splitlines()[1].startswith(HINT)


def test_a_quote_naming_neither_end_is_refused(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    fact = _fact("hewlett-packard-enterprise", "memberOf", "groupement-hpe-orange", "la mise place du plus puissant")
    line = _append(scratch, DOC2, fact)
    code, _, err = _run(scratch, capsys)
    assert code == 1
    assert err.splitlines()[0] == (
        f"iadef: error: {DOC2}:{line}: hewlett-packard-enterprise memberOf groupement-hpe-orange: the quote names "
        "neither 'hewlett-packard-enterprise' nor 'groupement-hpe-orange' (by a name, label or acronym), and no "
        "note names one of them to explain the link [unnamed-ends]"
    )
    assert err.splitlines()[1].startswith(HINT)


def test_a_status_its_quote_does_not_attest_is_refused(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    fact = _fact("orange", "memberOf", "groupement-hpe-orange", "Hewlett Packard Enterprise/Orange", status="signed")
    line = _append(scratch, DOC2, fact)
    code, _, err = _run(scratch, capsys, "build")
    assert code == 1
    assert err.splitlines()[0] == (
        f"iadef: error: {DOC2}:{line}: orange memberOf groupement-hpe-orange: status 'signed' is not attested by "
        "the quote (none of its words in ontology/status-words.yaml occur in it), and no note names the status to "
        "justify it [unattested-status]"
    )
    assert list((scratch.root / "graph").iterdir()) == []  # build refused: nothing written


def test_every_refused_fact_is_listed_with_its_line(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    first = _append(
        scratch, DOC2, _fact("orange", "memberOf", "orange", "groupement Hewlett Packard Enterprise/Orange")
    )
    second = _append(scratch, DOC2, _fact("orange", "memberOf", "groupement-hpe-orange", "la mise place"))
    code, _, err = _run(scratch, capsys)
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith(f"iadef: error: {DOC2}:{first}: ")
    assert lines[1].startswith(f"{DOC2}:{second}: orange memberOf groupement-hpe-orange: the quote names neither")
    assert lines[2] == "2 facts refused"
    assert lines[3].startswith(HINT)


# ------------------------------------------------------------------ what the rules accept


@pytest.mark.parametrize(
    ("quote", "status", "note"),
    [
        # one end named is enough: the other is often the subject of the sentence before
        ("au groupement Hewlett Packard Enterprise", None, None),
        # an acronym from seeds/entities.yaml, folded for case
        ("plus puissant supercalculateur classifié", None, "notified to the consortium of hpe"),
        # a note naming an end by its name explains an ellipsis
        (
            "la mise place du plus puissant",
            None,
            'the contractor of "la mise place" is the groupement Hewlett Packard Enterprise/Orange',
        ),
        # the status words occur in the quote (folded: "NOTIFIÉ" would do as well)
        ("le ministère a notifié au groupement Hewlett Packard Enterprise/Orange", "signed", None),
        # a note naming the status justifies it
        ("au groupement Hewlett Packard Enterprise/Orange", "signed", "signed: the notification of the contract"),
        ("au groupement Hewlett Packard Enterprise/Orange", "in-progress", "in progress, as the next sentence says"),
    ],
    ids=["one-end", "acronym-in-note", "name-in-note", "status-words", "status-note", "status-note-spaced"],
)
def test_what_the_rules_accept(
    scratch: Project, capsys: pytest.CaptureFixture[str], quote: str, status: str | None, note: str | None
) -> None:
    _append(
        scratch,
        DOC2,
        _fact("hewlett-packard-enterprise", "memberOf", "groupement-hpe-orange", quote, status=status, note=note),
    )
    code, out, err = _run(scratch, capsys)
    assert (code, err) == (0, "")
    assert "every quote found and attesting its fact" in out


def test_the_real_seeds_pass_every_rule(project: Project, loaded: tuple[Ontology, Seeds, object]) -> None:
    ontology, seeds, _ = loaded
    assert check_attestation(project, ontology, seeds) == []


# ------------------------------------------------------------------ the status words are data, checked


def test_an_unknown_status_in_the_words_file_is_refused(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = scratch.root / STATUS_WORDS_FILE
    text = path.read_text(encoding="utf-8")
    line = text[: text.index("\nsigned:\n")].count("\n") + 2
    path.write_text(text.replace("\nsigned:\n", "\nsined:\n"), encoding="utf-8")
    code, _, err = _run(scratch, capsys)
    assert code == 1
    assert err.startswith(f"iadef: error: ontology/status-words.yaml:{line}: unknown status 'sined'\n")


def test_a_status_without_words_is_refused(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = scratch.root / STATUS_WORDS_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("\ndelivered:\n")] + "\n", encoding="utf-8")
    code, _, err = _run(scratch, capsys)
    assert code == 1
    assert err.startswith("iadef: error: ontology/status-words.yaml:1: no words attest the status delivered\n")


def test_every_status_of_the_ontology_has_words(project: Project) -> None:
    from iadef.curation.attestation import load_status_words

    ontology = Ontology.load(project.ontology)
    words = load_status_words(project, ontology)
    assert set(words) == set(ontology.statuses) == {"announced", "planned", "signed", "in-progress", "delivered"}
    assert {"signé", "a signé", "ont signé", "notifié", "conclu"} <= set(words["signed"])
    assert {"annoncé", "officialisé", "présenté"} <= set(words["announced"])
    assert {"sera", "va", "prévoit", "pourra"} <= set(words["planned"])
    assert "en cours" in words["in-progress"]
    assert {"livré", "réalisé", "déployé"} <= set(words["delivered"])


# ------------------------------------------------------------------ folding and word boundaries


@pytest.mark.parametrize(
    ("text", "phrase", "found"),
    [
        ("Signé à Rennes", "signé", True),
        ("SIGNÉ", "signe", True),  # case and accents folded
        ("la pépite française de l’intelligence artificielle", "l'intelligence artificielle", True),  # apostrophes
        ("les travaux sont en\n   cours", "en cours", True),  # whitespace
        ("le cœur du dispositif", "coeur", True),
        ("une aide de l'État", "AID", False),  # word boundaries: an acronym is not a piece of a word
        ("une valeur", "va", False),
        ("signalé", "signé", False),
        ("l'AMIAD", "AMIAD", True),  # an elided article is a boundary
    ],
)
def test_mentions_folds_and_respects_word_boundaries(text: str, phrase: str, found: bool) -> None:
    assert mentions(text, [phrase]) is found


def test_fold() -> None:
    assert fold("  Région  Auvergne-Rhône-Alpes ’ «x» ") == 'region auvergne-rhone-alpes \' "x"'
