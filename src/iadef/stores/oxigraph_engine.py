"""Two independent SPARQL engines over the built graph: rdflib and pyoxigraph.

Both see the same dataset: ``graph/iadef.nq`` (the default graph holds the provenance,
one named graph per sourced fact, one per entity's curated labels) plus the ontology
as the named graph ``<https://w3id.org/iadef/def/>``, so that queries can follow
``rdfs:subClassOf*``. In both, the default graph is the file's default graph, not the
union of the named graphs.

Answers are converted to one model, :class:`Answer`, holding rdflib terms in a
canonical form: ``xsd:string`` literals become simple literals (RDF 1.1 makes them
the same) and decimals take their XSD 1.1 canonical form (``130000000``, not
``130000000.0``), so that two engines agree on what they return. A SELECT answer is
read from the TSV text pyoxigraph writes in Rust (:mod:`iadef.stores.oxigraph_rows`),
not solution by solution, and its rows stay plain terms until rdflib terms are asked for.

Parameters are never pasted into the query text by string formatting. rdflib binds
them itself (``initBindings``). pyoxigraph plans a query before it applies its
``substitutions``, so a bound actor does not guide the plan (a hub's ``partners-of``
took 13 s at 10^6 quads); it therefore gets them the way a remote server does, through
:mod:`iadef.sparql.bind`: a ``VALUES`` block opening the WHERE group, plus, when the
caller asks for ``constants`` (a named query's ``# bind: constants`` header), the terms
written in place of the variable inside the group. Both rewrites work on tokens and
write escaped N-Triples terms; where the constants rewrite could change the query's
meaning (a sub-select, a variable assigned by ``AS``) it is not applied.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iadef.errors import IadefError, QueryError, StoreError
from iadef.iris import ONTOLOGY_GRAPH, XSD_STRING
from iadef.sparql.answer import Answer, Plain, canonical, plain_literal

if TYPE_CHECKING:
    import pyoxigraph

    from iadef.sparql.answer import Quad, Term


class OxigraphEngine:
    """pyoxigraph's engine (Rust) over a :class:`pyoxigraph.Store`, in memory or on disk.

    ``fork_safe`` is False for a store on disk: RocksDB keeps background threads, and a
    child forked while one of them holds a lock waits for it forever (measured: about one
    query in twenty hung after a fresh load). The in-memory store has no such threads
    (0 hangs in 200 forks).
    """

    name = "oxigraph"

    def __init__(self, store: pyoxigraph.Store, *, fork_safe: bool = True) -> None:
        self.store = store
        self.fork_safe = fork_safe

    def query(
        self, text: str, bindings: Mapping[str, Term] | None = None, *, parsed: Any = None, constants: bool = False
    ) -> Answer:
        import pyoxigraph

        result = None
        if bindings:
            from iadef.sparql.bind import bound_text

            inlined = bound_text(text, bindings, constants=constants)
            if inlined is not None:
                try:
                    result = self.store.query(inlined)
                except SyntaxError:  # the rewrite did not fit this query: bind the engine's way below
                    result = None
                except (RuntimeError, OSError) as exc:
                    raise QueryError(f"pyoxigraph could not run the query: {exc}") from None
        if result is None:
            result = self._substituted(text, bindings)
        if isinstance(result, pyoxigraph.QuerySolutions):
            from iadef.stores.oxigraph_rows import solution_rows

            try:
                read = solution_rows(result)
            except (RuntimeError, OSError) as exc:  # evaluation happens as the answer is written
                raise QueryError(f"pyoxigraph could not run the query: {exc}") from None
            if read is not None:
                return Answer("SELECT", read[0], plain=read[1])
            convert = plain_converter()
            rows = tuple(tuple(None if t is None else convert(t) for t in solution) for solution in result)
            return Answer("SELECT", (), plain=rows)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return Answer("ASK", boolean=bool(result))
        # CONSTRUCT or DESCRIBE: pyoxigraph does not say which; both are rendered as a graph.
        to_rdflib = term_converter()
        triples = [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in result]
        return Answer("CONSTRUCT", triples=tuple(sorted(triples)))

    def _substituted(self, text: str, bindings: Mapping[str, Term] | None) -> Any:
        import pyoxigraph

        substitutions = {pyoxigraph.Variable(k): _to_ox(v) for k, v in (bindings or {}).items()}
        try:  # no keyword without parameters: also works on a pyoxigraph that predates substitutions
            return self.store.query(text, substitutions=substitutions) if substitutions else self.store.query(text)
        except TypeError as exc:  # a pyoxigraph without Store.query(substitutions=...)
            raise QueryError(
                f"pyoxigraph {getattr(pyoxigraph, '__version__', '?')} cannot bind query parameters: {exc}",
                hint="upgrade pyoxigraph (parameters use Store.query(substitutions=...)), or use --engine rdflib",
            ) from None
        except (SyntaxError, RuntimeError, OSError) as exc:
            raise QueryError(f"pyoxigraph could not run the query: {exc}") from None

    def quads(
        self, subject: Term | None = None, predicate: Term | None = None, obj: Term | None = None
    ) -> Iterator[Quad]:
        import pyoxigraph

        pattern = [None if t is None else _to_ox(t) for t in (subject, predicate, obj)]
        convert = term_converter()
        for quad in self.store.quads_for_pattern(pattern[0], pattern[1], pattern[2], None):
            name = quad.graph_name
            graph = None if isinstance(name, pyoxigraph.DefaultGraph) else convert(name)
            # a graph name is an IRI or a blank node, never a literal
            yield convert(quad.subject), convert(quad.predicate), convert(quad.object), graph  # type: ignore[misc]

    def close(self) -> None:
        """Drop the store handle so that its files are released."""
        self.store = None  # type: ignore[assignment]


def _to_ox(term: Term) -> Any:
    import pyoxigraph
    from rdflib import BNode, URIRef

    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if term.language is not None:
        return pyoxigraph.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
    return pyoxigraph.Literal(str(term))


def term_converter(*, canonical_literals: bool = True) -> Callable[[Any], Term]:
    """A function from pyoxigraph terms to rdflib terms, remembering what it converted.

    ``xsd:string`` literals become simple literals; with ``canonical_literals`` other
    literals take the form :func:`canonical` gives them (what queries return), without it
    they keep their lexical form (what a push writes).

    Answers repeat terms (an actor on every row), and building rdflib terms is what makes a
    large answer slow: a memo and a dispatch on the exact type cut the conversion of 10^4
    rows from about 4× to about 1.3× the time pyoxigraph takes to produce them.
    """
    import pyoxigraph
    from rdflib import BNode, Literal, URIRef

    named, blank, literal = pyoxigraph.NamedNode, pyoxigraph.BlankNode, pyoxigraph.Literal
    memo: dict[Any, Term] = {}

    def convert(term: Any) -> Term:
        found = memo.get(term)
        if found is not None:
            return found
        kind = type(term)
        made: Term
        if kind is named:
            made = URIRef(term.value)
        elif kind is literal:
            if term.language:
                made = Literal(term.value, lang=term.language)
            elif term.datatype.value == XSD_STRING:
                made = Literal(term.value)
            else:
                made = Literal(term.value, datatype=URIRef(term.datatype.value))
                made = canonical(made) if canonical_literals else made
        elif kind is blank:
            made = BNode(term.value)
        else:
            raise QueryError(f"pyoxigraph returned a term iadef does not handle: {term!r}")
        memo[term] = made
        return made

    return convert


def quads_store(quads: Iterable[Quad]) -> pyoxigraph.Store:
    """An in-memory pyoxigraph store holding ``quads`` (graph None: the default graph)."""
    import pyoxigraph

    def convert(quad: Quad) -> pyoxigraph.Quad:
        s, p, o, g = quad
        graph = pyoxigraph.DefaultGraph() if g is None else _to_ox(g)
        return pyoxigraph.Quad(_to_ox(s), _to_ox(p), _to_ox(o), graph)

    store = pyoxigraph.Store()
    store.bulk_extend(convert(q) for q in quads)
    return store


def plain_converter() -> Callable[[Any], Plain]:
    """A function from pyoxigraph terms to :data:`~iadef.sparql.answer.Plain` terms (no rdflib), with a memo."""
    import pyoxigraph

    named, blank, literal = pyoxigraph.NamedNode, pyoxigraph.BlankNode, pyoxigraph.Literal
    memo: dict[Any, Plain] = {}

    def convert(term: Any) -> Plain:
        found = memo.get(term)
        if found is not None:
            return found
        kind = type(term)
        made: Plain
        if kind is named:
            made = ("iri", term.value, "")
        elif kind is literal:
            made = plain_literal(term.value, term.language, term.datatype.value)
        elif kind is blank:
            made = ("bnode", term.value, "")
        else:
            raise QueryError(f"pyoxigraph returned a term iadef does not handle: {term!r}")
        memo[term] = made
        return made

    return convert


def load_store(nquads: Path, ontology: Path) -> pyoxigraph.Store:
    """An in-memory pyoxigraph store holding the built graph and the ontology graph."""
    import pyoxigraph

    if not nquads.is_file():
        raise IadefError(f"{nquads} not found", hint="run `iadef build` first")
    store = pyoxigraph.Store()
    fill_store(store, nquads, ontology)
    return store


def fill_store(store: pyoxigraph.Store, nquads: Path, ontology: Path) -> None:
    """Bulk-load the built graph and the ontology (as :data:`ONTOLOGY_GRAPH`) into ``store``.

    A build writes the ontology into the file; only a file without it (an older build, a
    synthetic graph) gets it from ``ontology``, so that its axioms are there once.
    """
    import pyoxigraph

    ontology_graph = pyoxigraph.NamedNode(str(ONTOLOGY_GRAPH))
    for path, syntax, graph in ((nquads, "nquads", None), (ontology, "turtle", ontology_graph)):
        if graph is not None and store.contains_named_graph(graph):
            continue
        try:
            store.bulk_load(path=str(path), format=_rdf_format(syntax), to_graph=graph)
        except SyntaxError as exc:
            raise unreadable_graph(path, syntax, exc) from None


SYNTAXES = {"nquads": "N-Quads", "turtle": "Turtle"}


def _rdf_format(syntax: str) -> Any:
    """pyoxigraph's format for a key of :data:`SYNTAXES`."""
    import pyoxigraph

    return pyoxigraph.RdfFormat.N_QUADS if syntax == "nquads" else pyoxigraph.RdfFormat.TURTLE


def check_graph_files(nquads: Path, ontology: Path) -> None:
    """Raise the :func:`unreadable_graph` error if either file does not parse (a streaming read, nothing kept).

    About 1.5 s for 10^6 quads: cheap next to a load, which a server can thus refuse
    before it gives up the build it serves.
    """
    if not nquads.is_file():
        raise StoreError(f"{nquads} not found", hint="run `iadef build` first")
    for path, syntax in ((nquads, "nquads"), (ontology, "turtle")):
        if (error := _syntax_error(path, syntax)) is not None:
            raise unreadable_graph(path, syntax, error)


def _syntax_error(path: Path, syntax: str) -> SyntaxError | None:
    """pyoxigraph's parser's first error in ``path`` (None: it parses, or cannot be read)."""
    import pyoxigraph

    try:
        for _ in pyoxigraph.parse(path=str(path), format=_rdf_format(syntax)):
            pass
    except SyntaxError as error:
        return error
    except (OSError, ValueError):
        pass
    return None


def unreadable_graph(path: Path, syntax: str, error: Exception, shown: str | None = None) -> StoreError:
    """The error for a graph file that does not parse (``syntax``: nquads or turtle), with its line.

    pyoxigraph reports the line; rdflib's N-Quads parser only the offending text, so the
    file is then read again by pyoxigraph's parser to find the line (this path is only
    taken on an error).
    """

    line = error.lineno if isinstance(error, SyntaxError) and not isinstance(error, UnicodeError) else None
    reason = error.msg if isinstance(error, SyntaxError) and error.msg else str(error)
    if line is None and (located := _syntax_error(path, syntax)) is not None:
        line, reason = located.lineno, located.msg or reason
    where = re.match(r"Parser error at line \d+ (?:between )?(columns? [\d and]+?):\s*", reason)
    if where:  # the line is in the error's place; keep the columns
        reason = f"{reason[where.end() :]} ({where[1].replace(' and ', '–')})"
    if shown is None:
        shown = str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)
    built = path.parent.name == "graph"
    return StoreError(
        f"not valid {SYNTAXES[syntax]}: {reason.strip()}",
        path=shown,
        line=line,
        hint="graph/ is written by `iadef build`: run it again rather than editing the file"
        if built
        else "fix the file (`iadef check` names every error in the ontology)",
    )
