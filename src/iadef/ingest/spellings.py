"""One name, several spellings: hyphens, spaces and their absence are the same name.

Articles write "Région Auvergne-Rhône-Alpes", then "Région Auvergne Rhône-Alpes",
"Région Auvergne Rhône Alpes" or "AuvergneRhône-Alpes" (a line-break hyphen lost in a
copy). Once an entity is named, every such spelling of one of its names is a mention of
it: the words of the name, in order, with any hyphens, spaces or tabs (or none) between
them, at word boundaries and on one line, starting with a capital. The longer name is read first, and a spelling
takes over the NER's shorter spans inside it ("Rhône-Alpes" taken for a town inside
"Région Auvergne Rhône-Alpes"); it never cuts across another entity's mention.
"""

from __future__ import annotations

import re

from iadef.ingest.references import EntityFinder
from iadef.ingest.textutil import norm

_SKIP = ("Person", "Post", "Mandate", "Topic", "Budget", "Headcount")


def spelling_step(finder: EntityFinder) -> None:
    names: dict[str, str] = {}  # folded name -> entity id
    for entity in finder.entities.values():
        if entity.cls in _SKIP:
            continue
        for mention in entity.mentions:
            folded = norm(mention.text)
            if mention.kind == "name" and re.search(r"[ -]", folded) and len(re.sub(r"[ -]", "", folded)) >= 6:
                names.setdefault(folded, entity.id)
    for name in sorted(names, key=lambda n: (-len(n), n)):
        entity = finder.entities[names[name]]
        parts = [re.escape(p) for p in re.split(r"[ -]+", name) if p]
        pattern = re.compile(r"(?<![\w])" + r"[ \t-]*".join(parts) + r"(?![\w])")
        for m in pattern.finditer(finder.folded):
            start, end = m.span()
            if not finder.text[start].isupper():
                continue  # "les affaires régionales": a common phrase, not the name "Affaires Régionales"
            overlapping = [(s, e, ident) for s, e, ident in finder.claimed if s < end and e > start]
            if any(ident == entity.id or not (start <= s and e <= end) for s, e, ident in overlapping):
                continue  # already this entity's, or another name runs across it
            if any(not finder.entities[ident].rule.startswith("ner-") for _, _, ident in overlapping):
                continue  # a span the gazetteer or a rule found is not taken over
            for s, e, ident in overlapping:
                finder.claimed.remove((s, e, ident))
                other = finder.entities[ident]
                other.mentions = [x for x in other.mentions if not (x.start == s and x.end == e)]
            finder.mention(entity, start, end)
