"""The catalogue of named queries (``queries/*.rq``) and how to run a query.

Each file is one standard SPARQL 1.1 query whose name is the file's stem (kebab-case),
opened by a comment header::

    # title: Partners of one actor
    # description: One or more lines; continuation lines are indented
    #   after the '#'.
    # parameters: actor (actor) — the actor, by name, alias or acronym
    # example: iadef query partners-of --param actor="ministere des armees"

``parameters`` is ``none`` or one ``NAME (KIND) — meaning`` per line (continuation lines
for the second and next). An optional ``# bind: constants`` line says how an engine that
receives the parameters in the query text (pyoxigraph, a remote server; see
:mod:`iadef.stores.oxigraph_engine`) should get them: ``values`` (the default) as a ``VALUES`` block
opening the WHERE group, ``constants`` also written in place of the variable in the
group's patterns, for a query whose plan needs them there (measured in
``benchmarks/store_bench.py``). Both give the same rows. KIND says how the value typed on the command line becomes an
RDF term: ``actor``, ``place`` or ``entity`` (looked up by name, see :mod:`iadef.sparql.lookup`),
``class`` (an ontology class) or ``text`` (a plain literal, the default). A parameter
NAME is the query variable ``?NAME``; it must be projected, and is never pasted into the
text by string formatting.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from iadef.errors import QueryError
from iadef.files import read_bounded
from iadef.sparql.guard import MAX_QUERY_CHARS

if TYPE_CHECKING:
    from iadef.sparql.answer import Answer, Engine, Term
    from iadef.sparql.guard import CheckedQuery


HEADER_FIELDS = ("title", "description", "parameters", "example")


OPTIONAL_FIELDS = ("bind",)


BIND_MODES = ("values", "constants")


PARAM_KINDS = ("actor", "place", "entity", "class", "text")


NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


_FIELD = re.compile(r"^#\s?(?P<key>[a-z]+):\s*(?P<value>.*)$")


_CONTINUATION = re.compile(r"^#\s{2,}(?P<value>\S.*)$")


_PARAM = re.compile(r"^(?P<name>[a-z_][a-z0-9_]*)(?:\s*\((?P<kind>[a-z]+)\))?\s+(?:—|--)\s+(?P<meaning>\S.*)$")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a named query."""

    name: str
    kind: str
    meaning: str


@dataclass(frozen=True)
class NamedQuery:
    """A query of the catalogue, with its header."""

    name: str
    path: Path
    text: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    example: str

    @property
    def is_check(self) -> bool:
        """A data-quality check: it must return no rows."""
        return self.name.endswith("-violation")

    @property
    def bind(self) -> str:
        """How parameters are written into the text (the ``# bind:`` header, checked on loading)."""
        return bind_mode(self.text)


def load_catalogue(folder: Path, shown: str = "queries") -> dict[str, NamedQuery]:
    """Every ``*.rq`` file of ``folder``, by name."""
    if not folder.is_dir():
        raise QueryError(f"no query folder at {shown}", hint="run iadef from the project (or pass --root)")
    catalogue: dict[str, NamedQuery] = {}
    for path in sorted(folder.glob("*.rq")):
        query = load_query(path, f"{shown}/{path.name}")
        catalogue[query.name] = query
    return catalogue


def read_query_file(path: Path, shown: str) -> str:
    """The text of a query file: a regular file, UTF-8, at most 4 bytes per allowed character."""
    raw = read_bounded(path, shown, 4 * MAX_QUERY_CHARS, error=QueryError)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise QueryError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", path=shown, line=line, hint="save the file as UTF-8"
        ) from None


def load_query(path: Path, shown: str) -> NamedQuery:
    """Read one query file and its header."""
    name = path.stem
    if not NAME.match(name):
        raise QueryError(
            f"query name {name!r} is not kebab-case", path=shown, hint="rename the file, e.g. partners-of.rq"
        )
    text = read_query_file(path, shown)
    fields: dict[str, list[str]] = {}
    lines: dict[str, int] = {}
    current: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        if (match := _FIELD.match(line)) and match["key"] in (*HEADER_FIELDS, *OPTIONAL_FIELDS):
            current = match["key"]
            if current in fields:
                raise QueryError(f"header field {current!r} given twice", path=shown, line=number)
            fields[current] = [match["value"].strip()] if match["value"].strip() else []
            lines[current] = number
        elif (cont := _CONTINUATION.match(line)) and current is not None:
            fields[current].append(cont["value"].strip())
        elif line.strip("# "):
            current = None
    missing = [key for key in HEADER_FIELDS if not fields.get(key)]
    if missing:
        raise QueryError(
            f"query header lacks {', '.join(missing)}",
            path=shown,
            line=1,
            hint="open the file with '# title:', '# description:', '# parameters:' and '# example:' comment lines",
        )
    parameters = _parameters(fields["parameters"], shown, lines["parameters"])
    for parameter in parameters:
        if not re.search(rf"[?$]{parameter.name}\b", text):
            raise QueryError(f"parameter {parameter.name!r} is not a variable of the query", path=shown)
    bind_value = " ".join(fields.get("bind", ["values"]))
    if bind_value not in BIND_MODES:
        raise QueryError(
            f"unknown bind mode {bind_value!r}", path=shown, line=lines["bind"], hint=f"use {' or '.join(BIND_MODES)}"
        )
    example = " ".join(fields["example"])
    if not example.startswith(f"iadef query {name}"):
        raise QueryError(f"the example must start with 'iadef query {name}'", path=shown, line=lines["example"])
    return NamedQuery(
        name=name,
        path=path,
        text=text,
        title=" ".join(fields["title"]),
        description=" ".join(fields["description"]),
        parameters=parameters,
        example=example,
    )


def _parameters(values: list[str], shown: str, line: int) -> tuple[Parameter, ...]:
    if [v.lower() for v in values] == ["none"]:
        return ()
    parameters = []
    for offset, value in enumerate(values):
        match = _PARAM.match(value)
        if match is None:
            raise QueryError(
                f"cannot read parameter {value!r}",
                path=shown,
                line=line + offset,
                hint="write 'NAME (KIND) — meaning', KIND one of " + ", ".join(PARAM_KINDS),
            )
        kind = match["kind"] or "text"
        if kind not in PARAM_KINDS:
            raise QueryError(f"unknown parameter kind {kind!r}", path=shown, line=line + offset)
        parameters.append(Parameter(match["name"], kind, match["meaning"]))
    return tuple(parameters)


def find(catalogue: Mapping[str, NamedQuery], name: str) -> NamedQuery:
    """The named query, or an error suggesting the closest names."""
    if name in catalogue:
        return catalogue[name]
    stem = name.removesuffix(".rq")
    if stem in catalogue:
        return catalogue[stem]
    close = difflib.get_close_matches(stem, list(catalogue), n=3, cutoff=0.5)
    hint = f"did you mean {' or '.join(close)}?" if close else "run `iadef queries` to list them"
    raise QueryError(f"no query named {name!r}", hint=hint)


def parse_param_args(pairs: Sequence[str]) -> dict[str, str]:
    """``KEY=VALUE`` strings from the command line, as a mapping."""
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise QueryError(f"--param {pair!r} is not KEY=VALUE", hint='e.g. --param actor="ministère des Armées"')
        if key in values:
            raise QueryError(f"--param {key} given twice")
        values[key] = value
    return values


def check_parameters(query: NamedQuery, raw: Mapping[str, str]) -> None:
    """Refuse unknown parameters and report missing ones, before anything is loaded."""
    known = {p.name: p for p in query.parameters}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        accepted = ", ".join(f"{p.name} ({p.meaning})" for p in query.parameters) or "none"
        raise QueryError(f"query {query.name} has no parameter {', '.join(unknown)}", hint=f"it accepts: {accepted}")
    missing = [p for p in query.parameters if p.name not in raw]
    if missing:
        listed = "; ".join(f"{p.name}: {p.meaning}" for p in missing)
        raise QueryError(
            f"query {query.name} needs --param {', '.join(p.name for p in missing)}",
            hint=f"{listed}; e.g. {query.example}",
        )


def bind(query: NamedQuery, raw: Mapping[str, str], engine: Engine) -> dict[str, Term]:
    """RDF terms for the parameters: names looked up, classes resolved, text as literals."""
    check_parameters(query, raw)
    bindings: dict[str, Term] = {}
    if not query.parameters:
        return bindings
    from rdflib import Literal

    from iadef.sparql.lookup import resolve_class, resolve_entity

    for parameter in query.parameters:
        value = raw[parameter.name]
        if parameter.kind in ("actor", "place", "entity"):
            bindings[parameter.name] = resolve_entity(engine, value, kind=parameter.kind, param=parameter.name)
        elif parameter.kind == "class":
            bindings[parameter.name] = resolve_class(engine, value, param=parameter.name)
        else:
            bindings[parameter.name] = Literal(value)
    return bindings


def bind_mode(text: str) -> str:
    """The ``# bind:`` mode of a query's header (``values`` if it has none or an unknown one)."""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if (match := _FIELD.match(line)) and match["key"] == "bind":
            return match["value"].strip() if match["value"].strip() in BIND_MODES else "values"
    return "values"


def execute(
    checked: CheckedQuery,
    engine: Engine,
    bindings: Mapping[str, Term] | None = None,
    *,
    timeout: float | None = None,
    limit: float | None = None,
) -> Answer:
    """Run a checked query on ``engine`` within ``timeout`` seconds (None: no limit), bound as its header says.

    ``limit``: the user's time limit, when ``timeout`` is what parsing left of it (for the message).
    """
    from iadef.sparql.guard import run_with_timeout

    constants = bool(bindings) and bind_mode(checked.text) == "constants"
    return run_with_timeout(
        lambda: engine.query(checked.text, bindings, parsed=checked.parsed, constants=constants),
        timeout,
        fork=engine.fork_safe,
        limit=limit,
    )


def run_named(
    query: NamedQuery,
    raw: Mapping[str, str],
    engine: Engine,
    *,
    timeout: float | None = None,
    allow_network: bool = False,
) -> Answer:
    """Check, bind and run a named query."""
    from iadef.sparql.guard import check

    check_parameters(query, raw)
    shown = f"queries/{query.path.name}"
    checked = check(query.text, name=shown, allow_network=allow_network, parse=engine.name == "rdflib")
    return execute(checked, engine, bind(query, raw, engine), timeout=timeout)
