"""Dev-set evaluation of `iadef ingest --dry-run` against the curated facts (issue 15).

For each seed document, the proposal is made with a gazetteer built WITHOUT that
document's facts file (its names, and entities no other document declares), then
compared with seeds/facts/<document>.yaml:

* entities: a curated entity is found when a proposed entity links to its key, or has a
  mention whose folded text is one of its names, label or acronyms, or (for entities the
  curators gave no name, such as mandates) a mention overlapping its quote with the same
  class. Precision: the share of proposed entities that match some curated entity.
* relations: every curated fact except type and names. An entity-to-entity fact is found
  when a proposal links the same two entities, either direction, whatever the property;
  a literal when a proposal gives the same subject a value equal once normalised (dates
  and numbers exactly; text folded, one containing the other, the shorter at least half
  the longer). Precision: the share of proposals that match some curated fact.
* kinds: the same figures split into entity links (``o``), dated and numeric values
  (dates, amounts, counts, currencies, booleans: any literal that is not free text) and
  free-text values (objective, description, characteristic), so a reader sees where
  recall comes from. A proposal's kind is read from its own form (``o`` or ``v`` and
  its property), a curated fact's from the curated file.
* time: seconds of `propose` per article, after the model is loaded (one warm-up run).

``--baseline`` scores the issue's naive baseline on the same matching instead: spaCy's
entities, and every pair of them in a sentence taken as related.

``--held-out`` scores the held-out set instead: sentences quoted from further public pages,
with their sources and hand-annotated gold (tests/fixtures/ingest/public-sentences.yaml;
the rules are not tuned to them). Each sentence is proposed alone, with the gazetteer of
the whole graph and no issue date, and scored with the same matching: a gold entity the
sentence names is found by its folded label or names, one it designates without a name by
its class and its quote; facts as above. Figures per source page and overall.

``--public-dev`` scores the public dev set the same way, by the same code: sentences quoted
from other public pages in the same format (tests/fixtures/ingest/public-dev-sentences.yaml),
which, unlike the held-out set, the rules MAY be tuned to.

Run: python benchmarks/ingest_eval.py [--json FILE] [--baseline] [--held-out | --public-dev]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from iadef.curation.ontology import Ontology  # noqa: E402
from iadef.ingest.model import Entity, Fact, Mention, Proposal  # noqa: E402
from iadef.ingest.nlp import analyzer  # noqa: E402
from iadef.ingest.pipeline import propose  # noqa: E402
from iadef.ingest.rules import load_rules  # noqa: E402
from iadef.ingest.run import gazetteer_for  # noqa: E402
from iadef.ingest.textutil import norm  # noqa: E402
from iadef.paths import Project  # noqa: E402
from iadef.yamlfile import YList, YMap, YStr, read_yaml  # noqa: E402


def _curated(project: Project, path: Path) -> tuple[str, dict[str, dict[str, Any]], list[dict[str, str]]]:
    data = read_yaml(path, project.relative(path))
    records = read_yaml(project.entities, "entities")
    entities: dict[str, dict[str, Any]] = {}
    body = data["entities"]
    assert isinstance(body, YMap)
    for key, item in body.items():
        assert isinstance(item, YMap)
        names = {norm(str(n)) for n in item.get("names", YList()) if isinstance(n, YStr)}
        record = records.get(key)
        if isinstance(record, YMap):
            label = record.get("label")
            if isinstance(label, YMap):
                names |= {norm(str(v)) for v in label.values() if isinstance(v, YStr)}
            acronyms = record.get("acronyms")
            if isinstance(acronyms, YList):
                names |= {norm(str(a)) for a in acronyms if isinstance(a, YStr)}
        entities[key] = {
            "type": str(item["type"]),
            "names": names,
            "has_names": "names" in item,
            "quote": " ".join(str(item["quote"]).split()),
        }
    facts = []
    listing = data["facts"]
    assert isinstance(listing, YList)
    for fact in listing:
        assert isinstance(fact, YMap)
        facts.append({k: str(v) for k, v in fact.items() if isinstance(v, YStr)})
    return str(data["source"]), entities, facts


FREE_TEXT = frozenset({"objective", "description", "characteristic"})
KINDS = ("link", "value", "text")


def _kind(p: str, has_object: bool) -> str:
    if has_object:
        return "link"
    return "text" if p in FREE_TEXT else "value"


def _keys(entity: Entity, curated: dict[str, dict[str, Any]], text: str) -> set[str]:
    keys = set()
    for key, info in curated.items():
        if entity.existing == key or any(norm(m.text) in info["names"] for m in entity.mentions):
            keys.add(key)
        elif not info["has_names"] and entity.cls == info["type"]:
            at = text.find(info["quote"]) if info["quote"] in text else -1
            if at < 0:
                at = " ".join(text.split()).find(info["quote"])
            span = (at, at + len(info["quote"]))
            if at >= 0 and any(m.start < span[1] and m.end > span[0] for m in entity.mentions):
                keys.add(key)
    return keys


def _same_value(a: str, b: str) -> bool:
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        pass
    x, y = norm(a).strip(" .'"), norm(b).strip(" .'")
    if x == y:
        return True
    short, long_ = sorted((x, y), key=len)
    return len(short) >= 12 and short in long_ and len(short) >= len(long_) / 2


def baseline(text: str, nlp: Any) -> Proposal:
    """The issue's naive baseline: spaCy's entities, and a relation between every pair of them in a sentence."""
    analysis = nlp.analyze(text)
    entities: dict[str, Entity] = {}
    spans: list[tuple[int, int, str]] = []
    for span in analysis.ents:
        words = text[span.start : span.end]
        ident = (
            f"b{len(entities)}"
            if norm(words) not in {norm(e.label) for e in entities.values()}
            else next(e.id for e in entities.values() if norm(e.label) == norm(words))
        )
        entity = entities.setdefault(ident, Entity(ident, words, span.label, None, 0.5, "baseline"))
        entity.add(Mention(span.start, span.end, words))
        spans.append((span.start, span.end, ident))
    facts: list[Fact] = []
    for index in range(len(analysis.sentences)):
        start, end = analysis.sentence_span(index)
        inside = [ident for s, e, ident in spans if start <= s and e <= end]
        for i, a in enumerate(inside):
            for b in inside[i + 1 :]:
                if a != b:
                    quote = text[start:end]
                    facts.append(Fact(f"f{len(facts)}", a, "related", b, None, None, quote, start, end, 0.5, "pair"))
    return Proposal({}, text, list(entities.values()), facts)


def _score(
    proposal: Proposal, curated: dict[str, dict[str, Any]], facts: list[dict[str, str]], text: str
) -> dict[str, Any]:
    """Entity and relation counts of one proposal against curated entities and facts (the matching above)."""
    keys = {e.id: _keys(e, curated, text) for e in proposal.entities}
    found_entities = set().union(*keys.values()) if keys else set()
    entity_tp = sum(1 for e in proposal.entities if keys[e.id])
    matched: set[int] = set()
    correct = 0
    by_kind = {k: {"proposed": 0, "correct": 0} for k in KINDS}
    for fact in proposal.facts:
        hit = False
        for index, gold in enumerate(facts):
            if fact.o is not None and "o" in gold:
                s_keys, o_keys = keys.get(fact.s, set()), keys.get(fact.o, set())
                ok = (gold["s"] in s_keys and gold["o"] in o_keys) or (gold["s"] in o_keys and gold["o"] in s_keys)
            elif fact.v is not None and "v" in gold:
                ok = gold["s"] in keys.get(fact.s, set()) and _same_value(fact.v, gold["v"])
            else:
                ok = False
            if ok:
                matched.add(index)
                hit = True
        correct += hit
        kind = by_kind[_kind(fact.p, fact.o is not None)]
        kind["proposed"] += 1
        kind["correct"] += hit
    for name in KINDS:
        by_kind[name]["curated"] = sum(1 for f in facts if _kind(f["p"], "o" in f) == name)
        by_kind[name]["found"] = sum(1 for i in matched if _kind(facts[i]["p"], "o" in facts[i]) == name)
    return {
        "entities": {
            "curated": len(curated),
            "found": len(found_entities & set(curated)),
            "proposed": len(proposal.entities),
            "correct": entity_tp,
        },
        "relations": {
            "curated": len(facts),
            "found": len(matched),
            "proposed": len(proposal.facts),
            "correct": correct,
            "curated_links": sum(1 for f in facts if "o" in f),
            "found_links": sum(1 for i in matched if "o" in facts[i]),
            "kinds": by_kind,
            "missed": sorted({f"{facts[i]['p']}" for i in range(len(facts)) if i not in matched}),
        },
    }


def evaluate(project: Project, path: Path, nlp: Any, ontology: Ontology, naive: bool = False) -> dict[str, Any]:
    rules = load_rules()
    source, curated, facts = _curated(project, path)
    sources = read_yaml(project.sources, "sources")
    record = sources[source]
    assert isinstance(record, YMap)
    text = (project.documents / str(record["file"])).read_text(encoding="utf-8")
    gazetteer = gazetteer_for(project, rules, exclude_source=source)
    issued = str(record["issued"]) if "issued" in record else None
    started = time.perf_counter()
    source_info = {"issued": issued}
    proposal = baseline(text, nlp) if naive else propose(text, nlp, gazetteer, rules, ontology, source_info)
    seconds = time.perf_counter() - started
    return {"document": source, "characters": len(text), "seconds": round(seconds, 3)} | _score(
        proposal, curated, facts, text
    )


HELD_OUT = ROOT / "tests" / "fixtures" / "ingest" / "public-sentences.yaml"
PUBLIC_DEV = ROOT / "tests" / "fixtures" / "ingest" / "public-dev-sentences.yaml"


def quoted_set(project: Project, path: Path = HELD_OUT) -> tuple[YMap, list[YMap]]:
    """A set of sentences quoted from public pages (the held-out set by default, or the public dev set): their
    sources, and the sentences with their gold."""
    data = read_yaml(path, project.relative(path))
    sources, sentences = data["sources"], data["sentences"]
    assert isinstance(sources, YMap) and isinstance(sentences, YList)
    items = [item for item in sentences if isinstance(item, YMap)]
    assert len(items) == len(sentences)
    return sources, items


def _gold(item: YMap) -> tuple[dict[str, dict[str, Any]], list[dict[str, str]]]:
    """One quoted sentence's gold in the form of ``_curated``: a labelled entity is matched by its folded
    label and names, an entity the sentence designates without a name by its class and its quote. Keys are
    prefixed so that no proposal links to them through the graph's own keys: the match is by name only."""
    entities: dict[str, dict[str, Any]] = {}
    body = item["entities"]
    assert isinstance(body, YMap)
    for key, entity in body.items():
        assert isinstance(entity, YMap)
        named = "label" in entity
        names = {norm(str(entity["label"]))} if named else set()
        extra = entity.get("names", YList())
        assert isinstance(extra, YList)
        names |= {norm(str(n)) for n in extra}
        quote = str(entity["label"] if named else entity["quote"])
        entities[f"quoted:{key}"] = {"type": str(entity["class"]), "names": names, "has_names": named, "quote": quote}
    facts = []
    listing = item["facts"]
    assert isinstance(listing, YList)
    for fact in listing:
        assert isinstance(fact, YMap)
        gold = {k: str(v) for k, v in fact.items() if isinstance(v, YStr)}
        gold["s"] = f"quoted:{gold['s']}"
        if "o" in gold:
            gold["o"] = f"quoted:{gold['o']}"
        facts.append(gold)
    return entities, facts


def evaluate_quoted(
    project: Project, nlp: Any, ontology: Ontology, path: Path = HELD_OUT, naive: bool = False
) -> list[dict[str, Any]]:
    """Every sentence of a quoted set (``path``: the held-out set or the public dev set) proposed alone, with the
    gazetteer of the whole graph and no issue date (the gold holds only what the sentence itself says), scored
    with the matching of the dev set."""
    rules = load_rules()
    gazetteer = gazetteer_for(project, rules)
    _, sentences = quoted_set(project, path)
    rows = []
    for item in sentences:
        text = str(item["text"])
        curated, facts = _gold(item)
        started = time.perf_counter()
        proposal = baseline(text, nlp) if naive else propose(text, nlp, gazetteer, rules, ontology, {"issued": None})
        seconds = time.perf_counter() - started
        rows.append(
            {"sentence": str(item["id"]), "source": str(item["source"]), "characters": len(text)}
            | {"seconds": round(seconds, 3)}
            | _score(proposal, curated, facts, text)
        )
    return rows


def _ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 0.0


def _row(name: str, e: dict[str, int], r: dict[str, Any], seconds: str) -> str:
    cells = [
        _ratio(e["found"], e["curated"]),
        _ratio(e["correct"], e["proposed"]),
        _ratio(r["found"], r["curated"]),
        _ratio(r["correct"], r["proposed"]),
    ]
    for kind in KINDS:
        k = r["kinds"][kind]
        cells += [_ratio(k["found"], k["curated"]), _ratio(k["correct"], k["proposed"])]
    return f"{name:<46} " + " ".join(f"{c:>6}" for c in cells) + f" {seconds:>9}"


def _add(total: dict[str, Any], row: dict[str, Any]) -> None:
    for part in ("entities", "relations"):
        for key, value in row[part].items():
            if isinstance(value, int):
                total[part][key] = total[part].get(key, 0) + value
    for kind in KINDS:
        for key, value in row["relations"]["kinds"][kind].items():
            slot = total["relations"]["kinds"][kind]
            slot[key] = slot.get(key, 0) + value


def _by_source(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A quoted set's counts summed per source page, in the order of the file."""
    sources: dict[str, dict[str, Any]] = {}
    for row in rows:
        total = sources.setdefault(
            row["source"],
            {
                "source": row["source"],
                "sentences": 0,
                "characters": 0,
                "seconds": 0.0,
                "entities": {},
                "relations": {"kinds": {k: {} for k in KINDS}},
            },
        )
        total["sentences"] += 1
        total["characters"] += row["characters"]
        total["seconds"] += row["seconds"]
        _add(total, row)
    return list(sources.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="score the issue's naive baseline instead (spaCy entities, every pair in a sentence related)",
    )
    sets = parser.add_mutually_exclusive_group()
    sets.add_argument(
        "--held-out",
        action="store_true",
        help="score the held-out sentences quoted from public pages (tests/fixtures/ingest/public-sentences.yaml) "
        "instead of the seed documents, with the whole graph's gazetteer; figures overall and per source",
    )
    sets.add_argument(
        "--public-dev",
        action="store_true",
        help="score the public dev set (tests/fixtures/ingest/public-dev-sentences.yaml, quoted sentences the "
        "rules may be tuned to) exactly as --held-out scores the held-out set",
    )
    args = parser.parse_args(argv)
    quoted = HELD_OUT if args.held_out else PUBLIC_DEV if args.public_dev else None
    project = Project(ROOT)
    ontology = Ontology.load(project.ontology)
    load_started = time.perf_counter()
    nlp = analyzer("fr")
    nlp.analyze("Le ministère des Armées a signé une convention.")
    load_seconds = time.perf_counter() - load_started
    sentences: list[dict[str, Any]] = []
    if quoted is not None:
        sentences = evaluate_quoted(project, nlp, ontology, quoted, args.baseline)
        rows = _by_source(sentences)
        name, unit = "source (sentences)", "sentence"
    else:
        rows = [evaluate(project, path, nlp, ontology, args.baseline) for path in sorted(project.facts.glob("*.yaml"))]
        name, unit = "document", "article"
    print(f"model loaded in {load_seconds:.1f} s\n")
    if quoted is not None:
        print(
            f"{'held-out set' if args.held_out else 'public dev set'}: {len(sentences)} sentences quoted from "
            f"{len(rows)} public pages ({project.relative(quoted)}), each proposed alone with the whole graph's "
            "gazetteer\n"
        )
    heads = ["ent R", "ent P", "rel R", "rel P", "link R", "link P", "val R", "val P", "text R", "text P"]
    print(f"{name:<46} " + " ".join(f"{h:>6}" for h in heads) + f" {'s/' + unit:>9}")
    total: dict[str, Any] = {"entities": {}, "relations": {"kinds": {k: {} for k in KINDS}}}
    for row in rows:
        _add(total, row)
        if quoted is not None:
            label, seconds_each = f"{row['source']} ({row['sentences']})", row["seconds"] / row["sentences"]
        else:
            label, seconds_each = row["document"], row["seconds"]
        print(_row(label, row["entities"], row["relations"], f"{seconds_each:.2f}"))
    seconds = sum(row["seconds"] for row in rows)
    chars = sum(row["characters"] for row in rows)
    units = len(sentences) if quoted is not None else len(rows)
    print(_row("overall", total["entities"], total["relations"], f"{seconds / units:.2f}"))
    e, r = total["entities"], total["relations"]
    overall: dict[str, Any] = {
        "entity_recall": _ratio(e["found"], e["curated"]),
        "entity_precision": _ratio(e["correct"], e["proposed"]),
        "relation_recall": _ratio(r["found"], r["curated"]),
        "relation_precision": _ratio(r["correct"], r["proposed"]),
        "link_recall": _ratio(r["found_links"], r["curated_links"]),
        f"seconds_per_{unit}": round(seconds / units, 3),
        "seconds_per_5000_characters": round(seconds / chars * 5000, 3),
    }
    for kind in KINDS:
        k = r["kinds"][kind]
        overall[f"{kind}_recall"] = _ratio(k["found"], k["curated"])
        overall[f"{kind}_precision"] = _ratio(k["correct"], k["proposed"])
        overall[f"{kind}_counts"] = dict(k)
    print("\ncounts (found/curated, correct/proposed):")
    for kind in ("all", *KINDS):
        k = r if kind == "all" else r["kinds"][kind]
        print(f"  {kind:<6} {k['found']}/{k['curated']}  {k['correct']}/{k['proposed']}")
    print(f"\n{overall['seconds_per_5000_characters']} s per 5,000 characters after the model is loaded")
    print(
        f"rel = every {'gold' if quoted is not None else 'curated'} fact but type and names; "
        "link = entity-to-entity facts; "
        "val = dated and numeric values; text = objective, description, characteristic"
    )
    if args.json:
        if quoted is not None:
            report = {"overall": overall, "sources": rows, "sentences": sentences}
        else:
            report = {"overall": overall, "documents": rows}
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
