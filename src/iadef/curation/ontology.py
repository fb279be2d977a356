"""The ontology as the loader sees it: which classes and properties exist.

The ontology is data (``ontology/iadef.ttl``); this module reads it once and answers
the questions the loader asks: is this a class, what are its superclasses, is this
property an object or a data property, what are its domain, range and value kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from iadef.errors import OntologyError
from iadef.namespaces import IADEF

VALUE_KINDS = frozenset({"date", "text", "decimal", "integer", "string", "boolean", "currency"})


@dataclass(frozen=True)
class Property:
    """One iadef property, as the loader needs it."""

    name: str
    iri: URIRef
    is_object: bool
    domain: str | None
    range: str | None
    value_kind: str | None


class Ontology:
    """Classes and properties of the iadef namespace, read from Turtle."""

    def __init__(self, graph: Graph, shown: str) -> None:
        self.graph = graph
        self.shown = shown
        self.classes: dict[str, URIRef] = {}
        self.properties: dict[str, Property] = {}
        self.statuses: dict[str, URIRef] = {}
        self._read()

    @classmethod
    def load(cls, path: Path, shown: str | None = None) -> Ontology:
        shown = shown or str(path)
        if not path.is_file():
            raise OntologyError(
                "ontology file not found",
                path=shown,
                hint="restore ontology/iadef.ttl from the repository (git checkout ontology/)",
            )
        graph = Graph()
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types for syntax errors
            raise OntologyError(
                f"malformed Turtle: {exc}", path=shown, hint="fix the syntax at the position given"
            ) from None
        return cls(graph, shown)

    def _local(self, iri: object) -> str | None:
        text = str(iri)
        return text[len(IADEF) :] if text.startswith(str(IADEF)) else None

    def _read(self) -> None:
        g = self.graph
        for cls in g.subjects(RDF.type, OWL.Class):
            name = self._local(cls)
            if name is not None and isinstance(cls, URIRef):
                self.classes[name] = cls
        for kind, is_object in ((OWL.ObjectProperty, True), (OWL.DatatypeProperty, False)):
            for prop in g.subjects(RDF.type, kind):
                name = self._local(prop)
                if name is None or not isinstance(prop, URIRef):
                    continue
                value_kind = g.value(prop, IADEF.valueKind)
                if not is_object and (value_kind is None or str(value_kind) not in VALUE_KINDS):
                    raise OntologyError(
                        f"data property iadef:{name} has no valid iadef:valueKind",
                        path=self.shown,
                        hint=f"add iadef:valueKind with one of {sorted(VALUE_KINDS)}",
                    )
                self.properties[name] = Property(
                    name=name,
                    iri=prop,
                    is_object=is_object,
                    domain=self._local(g.value(prop, RDFS.domain)),
                    range=self._local(g.value(prop, RDFS.range)),
                    value_kind=None if value_kind is None else str(value_kind),
                )
        for status in g.subjects(RDF.type, IADEF.FactStatus):
            name = self._local(status)
            if name is not None and isinstance(status, URIRef):
                self.statuses[_kebab(name)] = status
        if not self.classes or not self.properties:
            raise OntologyError(
                "no iadef class or property found",
                path=self.shown,
                hint=f"terms must be in the namespace {IADEF}",
            )

    def superclasses(self, name: str) -> set[str]:
        """The class and all its iadef superclasses."""
        seen = {name}
        todo = [name]
        while todo:
            current = self.classes.get(todo.pop())
            if current is None:
                continue
            for parent in self.graph.objects(current, RDFS.subClassOf):
                local = self._local(parent)
                if local is not None and local not in seen:
                    seen.add(local)
                    todo.append(local)
        return seen

    def is_a(self, name: str, ancestor: str) -> bool:
        return ancestor in self.superclasses(name)


def _kebab(name: str) -> str:
    out = []
    for i, char in enumerate(name):
        if char.isupper() and i:
            out.append("-")
        out.append(char.lower())
    return "".join(out)
