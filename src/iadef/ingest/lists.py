"""Lists of names a relation rule reads item by item, and names that are another's complement.

* :func:`list_item`: with ``list: true`` (data/relations.yaml), the subject of a rule is an
  item of a list of names, commas and "et" between them, that either
  - follows the object, itself right after the trigger: "associera, au sein du ministère,
    la DGSE, l'AMIAD et la DIRISI" (each item is a unit of the ministry); or
  - ends right before the trigger: "la DGSE, la DRM et la DRSD, rattachées au ministère",
    "la DIRISI relève du ministère".
  An item followed by "du/de la/des" and an organisation's name ("la Direction des
  applications militaires du Commissariat …") belongs to that organisation: it is not read
  as one of the list's.
* :func:`complement_of`: with ``skip_complements: true``, a name right after "du/de la/des"
  and another organisation's name is that name's complement ("… du Commissariat à l'énergie
  atomique" after "la Direction des applications militaires"): the sentence speaks of the
  first, so the complement is not an end of the rule; nor is the name after "au sein du",
  the frame of what the sentence says ("associera, au sein du ministère, …").
"""

from __future__ import annotations

import re

from iadef.ingest.model import Entity, Mention
from iadef.ingest.textutil import fold

_LINK = r"(?:du|de\s+la|de\s+l'|des|d')"
_DET = r"(?:l'\s*|la\s+|le\s+|les\s+)?"
_ITEM = rf"{_DET}§(?:\s*{_LINK}\s*§)?"
_AFTER = re.compile(rf"\s*,\s*(?:{_ITEM}\s*(?:,\s*|et\s+))*{_DET}")
_BEFORE = re.compile(
    rf"(?:\s*(?:,|et)\s*{_ITEM})*\s*,?\s*(?:qui\s+)?(?:(?:sont|est|seront|sera|restent|reste)\s+)?"
    r"(?:(?:directement|desormais|toujours)\s+)?"
)
_NOT_BODIES = ("Person", "Post", "Mandate", "Topic", "Territory", "City", "Country", "Site")
MAX_LIST = 400


def _masked(text: str, start: int, end: int, mentions: list[tuple[Mention, Entity]]) -> str:
    """The folded text of ``[start, end)`` with each outermost mention inside it written §."""
    out, at = [], start
    for mention, _ in sorted(mentions, key=lambda pair: (pair[0].start, -pair[0].end)):
        if mention.start >= at and mention.end <= end:
            out += [fold(text[at : mention.start]), "§"]
            at = mention.end
    return "".join(out) + fold(text[at:end])


def list_item(text: str, item: Mention, other: Mention, trigger: int, mentions: list[tuple[Mention, Entity]]) -> bool:
    if _owned(text, item, mentions):
        return False
    if trigger <= other.start and other.end <= item.start and item.start - other.end <= MAX_LIST:
        return bool(_AFTER.fullmatch(_masked(text, other.end, item.start, mentions)))
    if item.end <= trigger and trigger - item.end <= MAX_LIST:
        return bool(_BEFORE.fullmatch(_masked(text, item.end, trigger, mentions)))
    return False


def _owned(text: str, item: Mention, mentions: list[tuple[Mention, Entity]]) -> bool:
    """ "la Direction des applications militaires du Commissariat …": a unit of the name after it."""
    link = re.match(rf"\s*{_LINK}\s*", fold(text[item.end : item.end + 12]))
    if link is None:
        return False
    at = item.end + link.end()
    return any(m.start == at and e.cls not in _NOT_BODIES for m, e in mentions)


def complement_of(text: str, mention: Mention, mentions: list[tuple[Mention, Entity]]) -> bool:
    if re.search(rf"au\s+sein\s+{_LINK}\s*$", fold(text[max(0, mention.start - 20) : mention.start])):
        return True  # "associera, au sein du ministère, …": the frame, not one of those associated
    before = re.search(rf"(?<![\w]){_LINK}\s*$", fold(text[max(0, mention.start - 8) : mention.start]))
    if before is None:
        return False
    at = mention.start - (len(before.group()))
    head = text[:at].rstrip()
    return any(m.end == len(head) and e.cls not in _NOT_BODIES for m, e in mentions if m is not mention)
