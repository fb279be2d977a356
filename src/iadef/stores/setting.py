"""The store setting: where every command reads the built graph from.

One setting, the same for ``query``, ``sparql``, ``viz``, ``analyze``, ``path``,
``serve`` and ``push``, taken from (first found):

1. ``--store SPEC`` (or ``--endpoint URL``, short for ``--store URL``) on the command line;
2. the ``IADEF_STORE`` environment variable;
3. ``store = "SPEC"`` in ``iadef.toml`` at the project root (paths relative to it);
4. ``oxigraph`` (pyoxigraph in memory: the default for reading; ``iadef build`` and the
   tests' cross-checks use rdflib, which ``memory`` names).

SPEC is one of:

``memory`` (or ``rdflib``)
    rdflib's in-memory store, loaded from ``graph/iadef.nq``.
``oxigraph``
    pyoxigraph's in-memory store (Rust), loaded from the same file: the default, same
    rows as rdflib, much faster to load and to query.
``oxigraph:DIR``
    a persistent Oxigraph store in folder DIR, loaded once and kept in step with the
    build (see :mod:`iadef.stores.oxigraph_disk`); for large graphs.
``http(s)://HOST/PATH`` (or ``sparql:URL``)
    any SPARQL 1.1 server over the standard protocol (Virtuoso, Fuseki, GraphDB,
    QLever, ``iadef serve``), filled by ``iadef push``.

``iadef.toml`` may also hold, for a server, ``update = "URL"`` (its SPARQL Update
endpoint when it differs), ``graph-store = "URL"`` (its Graph Store Protocol endpoint,
which ``iadef push`` uses for large graphs), ``user = "NAME"`` and ``default-graph =
"IRI"``; the
password is only read from ``IADEF_ENDPOINT_PASSWORD``, never from a file or a flag.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from iadef.errors import StoreError

if TYPE_CHECKING:
    from iadef.paths import Project


CONFIG_FILE = "iadef.toml"


ENV_STORE = "IADEF_STORE"


ENV_PASSWORD = "IADEF_ENDPOINT_PASSWORD"


KINDS = ("memory", "oxigraph", "oxigraph-disk", "endpoint")


DEFAULT_KIND = "oxigraph"  # when nothing is set: pyoxigraph in memory


CONFIG_KEYS = ("store", "update", "graph-store", "user", "default-graph")


FORMS = "memory, oxigraph, oxigraph:DIR or an http(s):// SPARQL endpoint URL"


@dataclass(frozen=True)
class StoreSpec:
    """A parsed store setting and where it came from."""

    kind: str  # one of KINDS
    path: Path | None = None  # oxigraph-disk
    url: str | None = None  # endpoint: the query URL
    update_url: str | None = None
    graph_store_url: str | None = None
    user: str | None = None
    default_graph: str | None = None
    origin: str = "default"

    def describe(self) -> str:
        """How the store is shown to a user."""
        if self.kind == "oxigraph-disk":
            return f"oxigraph:{self.path}"
        if self.kind == "endpoint":
            return str(self.url)
        return self.kind


def parse_spec(text: str, *, origin: str, base: Path) -> StoreSpec:
    """Read one SPEC; relative paths are taken from ``base``."""
    value = text.strip()
    if value in ("memory", "rdflib"):
        return StoreSpec("memory", origin=origin)
    if value == "oxigraph":
        return StoreSpec("oxigraph", origin=origin)
    if value.startswith("oxigraph:"):
        folder = value.removeprefix("oxigraph:").strip()
        if not folder:
            raise StoreError(f"{origin}: 'oxigraph:' needs a folder", hint="e.g. --store oxigraph:.iadef/store")
        path = Path(folder).expanduser()
        return StoreSpec("oxigraph-disk", path=path if path.is_absolute() else base / path, origin=origin)
    url = value.removeprefix("sparql:")
    if re.match(r"^https?://[^\s/]+", url):
        if any(c.isspace() for c in url):
            raise StoreError(f"{origin}: the endpoint URL {url!r} contains a space")
        return StoreSpec("endpoint", url=url, origin=origin)
    raise StoreError(f"{origin}: unknown store {text!r}", hint=f"use {FORMS}")


def read_config(project: Project) -> tuple[dict[str, str], dict[str, int]]:
    """The ``iadef.toml`` settings (absent file: none) and the line of each key."""
    import tomllib

    path = project.root / CONFIG_FILE
    if not path.is_file():
        return {}, {}
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StoreError(f"{CONFIG_FILE}: {exc}", hint="fix the TOML syntax (https://toml.io)") from None
    lines = {key: _line_of(text, key) for key in data}
    unknown = sorted(set(data) - set(CONFIG_KEYS))
    if unknown:
        raise StoreError(
            f"unknown setting {unknown[0]!r}",
            path=CONFIG_FILE,
            line=lines[unknown[0]],
            hint=f"known settings: {', '.join(CONFIG_KEYS)}",
        )
    for key, value in data.items():
        if not isinstance(value, str):
            raise StoreError(f"{key} must be a string", path=CONFIG_FILE, line=lines[key], hint=f'e.g. {key} = "…"')
    return {k: str(v) for k, v in data.items()}, lines


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
            return number
    return 1


def resolve(
    project: Project,
    cli: str | None = None,
    *,
    endpoint: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> StoreSpec:
    """The store setting in force (see the module docstring for the order)."""
    environ = os.environ if environ is None else environ
    if cli is not None and endpoint is not None:
        raise StoreError("give --store or --endpoint, not both", hint="--endpoint URL is short for --store URL")
    config, lines = read_config(project)
    if endpoint is not None:
        spec = parse_spec(endpoint, origin="--endpoint", base=Path.cwd())
        if spec.kind != "endpoint":
            raise StoreError(f"--endpoint {endpoint!r} is not an http(s) URL", hint="e.g. http://127.0.0.1:8890/sparql")
    elif cli is not None:
        spec = parse_spec(cli, origin="--store", base=Path.cwd())
    elif environ.get(ENV_STORE):
        spec = parse_spec(environ[ENV_STORE], origin=ENV_STORE, base=Path.cwd())
    elif "store" in config:
        spec = parse_spec(config["store"], origin=f"{CONFIG_FILE}:{lines['store']}", base=project.root)
    else:
        spec = StoreSpec(DEFAULT_KIND)
    if spec.kind == "endpoint":
        spec = replace(
            spec,
            update_url=config.get("update"),
            graph_store_url=config.get("graph-store"),
            user=config.get("user"),
            default_graph=config.get("default-graph"),
        )
    return spec
