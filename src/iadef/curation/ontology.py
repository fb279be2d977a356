"""The ontology as the loader sees it: which classes and properties exist.

The ontology is data (``ontology/iadef.ttl``); this module reads it once and answers
the questions the loader asks: is this a class, what are its superclasses, is this
property an object or a data property, what are its domain, range and value kind.
"""

from __future__ import annotations

import re
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

    def __init__(self, graph: Graph, shown: str, text: str = "") -> None:
        self.graph = graph
        self.shown = shown
        self.classes: dict[str, URIRef] = {}
        self.properties: dict[str, Property] = {}
        self.statuses: dict[str, URIRef] = {}
        self._read()
        self._refuse_class_cycles(text)

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
        return cls(graph, shown, path.read_text(encoding="utf-8", errors="replace"))

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

    def _refuse_class_cycles(self, text: str) -> None:
        """Refuse a class that is its own superclass through others (every member would be in them all)."""
        parents = {
            name: sorted(
                p for p in map(self._local, self.graph.objects(cls, RDFS.subClassOf)) if p in self.classes and p != name
            )
            for name, cls in self.classes.items()
        }
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        for start in sorted(parents):
            path: list[str] = []
            stack: list[tuple[str, int]] = [(start, 0)]
            while stack:
                name, index = stack.pop()
                if index == 0:
                    if state.get(name) == 2:
                        continue
                    state[name] = 1
                    path.append(name)
                if index < len(parents[name]):
                    stack.append((name, index + 1))
                    parent = parents[name][index]
                    if state.get(parent) == 1:
                        self._cycle(path[path.index(parent) :], text)
                    if state.get(parent) is None:
                        stack.append((parent, 0))
                else:
                    state[name] = 2
                    path.pop()

    def _cycle(self, cycle: list[str], text: str) -> None:
        """Raise for ``cycle`` (each class a subclass of the next, the last of the first), at its first line."""
        edges = [(cycle[i], cycle[(i + 1) % len(cycle)]) for i in range(len(cycle))]
        lines = [_subclass_line(text, child, parent) for child, parent in edges]
        first = min(range(len(edges)), key=lambda i: (lines[i] is None, lines[i] or 0))
        order = cycle[first:] + cycle[:first]
        where = "; ".join(
            f"{'line ' + str(lines[i]) if lines[i] else 'no line'}: {edges[i][0]} subClassOf {edges[i][1]}"
            for i in sorted(range(len(edges)), key=lambda i: lines[i] or 0)
        )
        raise OntologyError(
            f"cycle in rdfs:subClassOf: {' -> '.join([*order, order[0]])} ({where})",
            path=self.shown,
            line=lines[first],
            hint="a class cannot be its own superclass through others (each would hold every member of the "
            "others): remove the rdfs:subClassOf that is wrong",
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


def _subclass_line(text: str, child: str, parent: str) -> int | None:
    """The line of ``iadef:child … rdfs:subClassOf … iadef:parent`` in the Turtle text (None if not found)."""
    lines = text.splitlines()
    subject = re.compile(rf"^iadef:{re.escape(child)}\s")
    target = re.compile(rf"iadef:{re.escape(parent)}(?![\w-])")
    for number, line in enumerate(lines):
        if not subject.match(line):
            continue
        for offset, body in enumerate(lines[number:], start=number + 1):
            if target.search(body) and ("subClassOf" in body or offset > number + 1 or body.count("iadef:") > 1):
                return offset
            if body.rstrip().endswith(" .") or body.rstrip() == ".":
                break
    return None


def _kebab(name: str) -> str:
    out = []
    for i, char in enumerate(name):
        if char.isupper() and i:
            out.append("-")
        out.append(char.lower())
    return "".join(out)
