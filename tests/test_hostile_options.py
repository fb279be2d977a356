"""Hostile command-line options (issue 14, items 7, 10 and 12): every numeric option is
finite and within its range, every URL option is http(s), and ``path`` between one
entity and itself says so. argparse refuses a bad option with exit code 2 and the
option's name; nothing runs."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from iadef.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
SECONDS = "is not a number of seconds from 0 to 86400 (0: no limit)"
HTTP_ONLY = "is not an http(s) URL: only http:// and https:// URLs with a host are accepted"


def refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The last stderr line of an argparse refusal (exit code 2)."""
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    return capsys.readouterr().err.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["query", "partners", "--timeout", "nan"], f"iadef query: error: argument --timeout: 'nan' {SECONDS}"),
        (["query", "partners", "--timeout", "inf"], f"iadef query: error: argument --timeout: 'inf' {SECONDS}"),
        (
            ["sparql", "ASK {}", "--timeout", "99999999999"],
            f"iadef sparql: error: argument --timeout: '99999999999' {SECONDS}",
        ),
        (["query", "partners", "--timeout", "-5"], f"iadef query: error: argument --timeout: '-5' {SECONDS}"),
        (["serve", "--timeout", "nan"], f"iadef serve: error: argument --timeout: 'nan' {SECONDS}"),
        (
            ["serve", "--reload-interval", "-1"],
            "iadef serve: error: argument --reload-interval: '-1' is not a number of seconds from 0 to 86400 "
            "(0: never reload)",
        ),
        (
            ["serve", "--workers", "0"],
            "iadef serve: error: argument --workers: '0' is not a whole number from 1 to 256",
        ),
        (
            ["serve", "--port", "70000"],
            "iadef serve: error: argument --port: '70000' is not a whole number from 0 to 65535",
        ),
        (
            ["build", "--reason-timeout", "0"],
            "iadef build: error: argument --reason-timeout: '0' is not a number of seconds from 0.001 to 86400",
        ),
        (
            ["analyze", "--top", "-1"],
            "iadef analyze: error: argument --top: '-1' is not a whole number from 1 to 100000",
        ),
        (
            ["path", "A", "B", "--longer", "-3"],
            "iadef path: error: argument --longer: '-3' is not a whole number from 0 to 10",
        ),
        (["viz", "--depth", "-1"], "iadef viz: error: argument --depth: '-1' is not a whole number from 1 to 20"),
        (
            ["push", "--endpoint", "file:///etc/passwd"],
            f"iadef push: error: argument --endpoint: 'file:///etc/passwd' {HTTP_ONLY}",
        ),
        (
            ["push", "--endpoint", "http://h/s", "--graph-store", "ftp://h/g"],
            f"iadef push: error: argument --graph-store: 'ftp://h/g' {HTTP_ONLY}",
        ),
        (
            ["link", "--api", "file:///etc/passwd"],
            f"iadef link: error: argument --api: 'file:///etc/passwd' {HTTP_ONLY}",
        ),
        (
            ["push", "--endpoint", "http://h/s\r\nX-Injected: 1"],
            f"iadef push: error: argument --endpoint: 'http://h/s\\r\\nX-Injected: 1' {HTTP_ONLY}",
        ),
        (["serve", "--cors", "file:///x"], f"iadef serve: error: argument --cors: 'file:///x' {HTTP_ONLY}"),
        (
            ["serve", "--cors", "http://example.org/page"],
            "iadef serve: error: argument --cors: 'http://example.org/page' is not an origin: "
            "give scheme://host[:port] only, or *",
        ),
        (
            ["query", "partners", "--endpoint", "file:///etc/passwd"],
            f"iadef query: error: argument --endpoint: 'file:///etc/passwd' {HTTP_ONLY}",
        ),
    ],
)
def test_a_bad_option_is_refused_with_its_name(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert refused(argv, capsys) == message


def test_a_wikidata_api_from_the_environment_must_be_http(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src"), "IADEF_WIKIDATA_API": "file:///etc/passwd"}
    done = subprocess.run(
        [sys.executable, "-m", "iadef", "--root", str(ROOT), "link", "--offline"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr == (
        f"iadef: error: Wikidata API 'file:///etc/passwd' {HTTP_ONLY}\n"
        "  hint: give the server's address, e.g. http://127.0.0.1:8890/sparql\n"
    )
    assert "root:" not in done.stdout + done.stderr


def test_a_path_from_an_entity_to_itself_says_so(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(root), "path", "Mistral AI", "mistral ai"]) == 1
    assert capsys.readouterr().err == (
        "iadef: error: A and B name the same entity: Mistral AI (mistral-ai)\n"
        "  hint: name two different actors to find the chains between them\n"
    )


def test_the_library_endpoint_refuses_a_file_url() -> None:
    from iadef.errors import IadefError
    from iadef.stores.endpoint import Endpoint

    with pytest.raises(IadefError) as raised:
        Endpoint(query_url="file:///etc/passwd")
    assert raised.value.message == f"endpoint 'file:///etc/passwd' {HTTP_ONLY}"


# ------------------------------------------------ items 7 and 8: what a query may cost


NESTED = "SELECT ?x WHERE { ?x ?p ?o FILTER(" + "(" * 30 + "1" + ")" * 30 + ") }"
NESTING_HINT = "  hint: flatten the query: fewer nested parentheses, braces or brackets (split a long expression)\n"


def test_a_query_nested_too_deeply_is_refused(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(root), "sparql", NESTED]) == 1
    assert capsys.readouterr().err == (
        "iadef: error: query nested too deeply: more than 20 levels of (), {} and [] (at line 1, column 53)\n"
        + NESTING_HINT
    )


def test_a_query_file_over_the_size_limit_is_refused(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.rq"
    big.write_text("SELECT ?x WHERE { VALUES ?x { " + "<http://e/1> " * 80_000 + "} }", encoding="utf-8")
    size = len(big.read_text(encoding="utf-8"))
    assert main(["--root", str(root), "sparql", str(big)]) == 1
    assert capsys.readouterr().err == (
        f"iadef: error: {big}: the query is {size} characters long, more than the 1000000 allowed\n"
        "  hint: shorten it: a long VALUES list belongs in the graph (seeds/), or in several smaller queries\n"
    )


def test_parsing_counts_in_the_time_limit(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    slow = tmp_path / "slow.rq"
    values = " ".join(f"<http://e/{i}>" for i in range(55_000))  # 0.92 MB: parsed in 1-3 s
    slow.write_text(f"SELECT ?x WHERE {{ VALUES ?x {{ {values} }} }}", encoding="utf-8")
    # on rdflib, the guard's parse is the query's parse: it counts in the limit
    started = time.monotonic()
    assert main(["--root", str(root), "sparql", str(slow), "--timeout", "0.2", "--store", "memory"]) == 1
    assert time.monotonic() - started < 5
    assert capsys.readouterr().err == (
        "iadef: error: parsing the query exceeded 0.2 s\n"
        "  hint: narrow the query (fewer unconstrained patterns, a LIMIT), or raise --timeout\n"
    )
    # on pyoxigraph (the default), the engine parses under the same limit
    started = time.monotonic()
    assert main(["--root", str(root), "sparql", str(slow), "--timeout", "0.2"]) == 1
    assert time.monotonic() - started < 5
    assert capsys.readouterr().err == (
        "iadef: error: query exceeded 0.2 s\n"
        "  hint: narrow the query (fewer unconstrained patterns, a LIMIT), or raise --timeout\n"
    )
