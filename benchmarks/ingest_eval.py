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
* time: seconds of `propose` per article, after the model is loaded (one warm-up run).

Run: python benchmarks/ingest_eval.py [--json FILE]
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
from iadef.ingest.model import Entity, Proposal  # noqa: E402
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


def evaluate(project: Project, path: Path, nlp: Any, ontology: Ontology) -> dict[str, Any]:
    rules = load_rules()
    source, curated, facts = _curated(project, path)
    sources = read_yaml(project.sources, "sources")
    record = sources[source]
    assert isinstance(record, YMap)
    text = (project.documents / str(record["file"])).read_text(encoding="utf-8")
    gazetteer = gazetteer_for(project, rules, exclude_source=source)
    issued = str(record["issued"]) if "issued" in record else None
    started = time.perf_counter()
    proposal: Proposal = propose(text, nlp, gazetteer, rules, ontology, {"issued": issued})
    seconds = time.perf_counter() - started
    keys = {e.id: _keys(e, curated, text) for e in proposal.entities}
    found_entities = set().union(*keys.values()) if keys else set()
    entity_tp = sum(1 for e in proposal.entities if keys[e.id])
    matched: set[int] = set()
    correct = 0
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
    return {
        "document": source,
        "characters": len(text),
        "seconds": round(seconds, 3),
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
            "missed": sorted({f"{facts[i]['p']}" for i in range(len(facts)) if i not in matched}),
        },
    }


def _ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    project = Project(ROOT)
    ontology = Ontology.load(project.ontology)
    load_started = time.perf_counter()
    nlp = analyzer("fr")
    nlp.analyze("Le ministère des Armées a signé une convention.")
    load_seconds = time.perf_counter() - load_started
    rows = [evaluate(project, path, nlp, ontology) for path in sorted(project.facts.glob("*.yaml"))]
    print(f"model loaded in {load_seconds:.1f} s\n")
    print(f"{'document':<48} {'ent R':>6} {'ent P':>6} {'rel R':>6} {'rel P':>6} {'link R':>6} {'s/article':>9}")
    total: dict[str, int] = {}
    for row in rows:
        e, r = row["entities"], row["relations"]
        for name, value in (
            ("ec", e["curated"]),
            ("ef", e["found"]),
            ("ep", e["proposed"]),
            ("et", e["correct"]),
            ("rc", r["curated"]),
            ("rf", r["found"]),
            ("rp", r["proposed"]),
            ("rt", r["correct"]),
            ("lc", r["curated_links"]),
            ("lf", r["found_links"]),
        ):
            total[name] = total.get(name, 0) + value
        print(
            f"{row['document']:<48} {_ratio(e['found'], e['curated']):>6} {_ratio(e['correct'], e['proposed']):>6} "
            f"{_ratio(r['found'], r['curated']):>6} {_ratio(r['correct'], r['proposed']):>6} "
            f"{_ratio(r['found_links'], r['curated_links']):>6} {row['seconds']:>9.2f}"
        )
    seconds = sum(row["seconds"] for row in rows)
    chars = sum(row["characters"] for row in rows)
    overall = {
        "entity_recall": _ratio(total["ef"], total["ec"]),
        "entity_precision": _ratio(total["et"], total["ep"]),
        "relation_recall": _ratio(total["rf"], total["rc"]),
        "relation_precision": _ratio(total["rt"], total["rp"]),
        "link_recall": _ratio(total["lf"], total["lc"]),
        "seconds_per_article": round(seconds / len(rows), 3),
        "seconds_per_5000_characters": round(seconds / chars * 5000, 3),
    }
    print(
        f"{'overall':<48} {overall['entity_recall']:>6} {overall['entity_precision']:>6} "
        f"{overall['relation_recall']:>6} {overall['relation_precision']:>6} {overall['link_recall']:>6} "
        f"{overall['seconds_per_article']:>9.2f}"
    )
    print(f"\n{overall['seconds_per_5000_characters']} s per 5,000 characters after the model is loaded")
    print("rel = every curated fact but type and names (entity links and literal values); link = entity links only")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"overall": overall, "documents": rows}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
