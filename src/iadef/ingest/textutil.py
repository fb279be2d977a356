"""Text helpers of the extractor: length-preserving folding, slugs, stable ids.

:func:`fold` maps every character to exactly one character (lower case, accents
removed, typographic apostrophes and dashes made plain), so an offset in the folded
text is the same offset in the article: matches found on folded text are quoted
verbatim from the original.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_PLAIN = {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "–": "-", "—": "-", "‐": "-", "‑": "-", "\u00a0": " "}


BULLET = r"[\s•·▪◦*\-–—]"  # a list bullet, or the blanks around it, before a line's first word


def _fold_char(char: str) -> str:
    if char in _PLAIN:
        return _PLAIN[char]
    if char.isspace():
        return " "
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    lowered = (base or char).lower()
    return lowered[0] if lowered else char


_CACHE: dict[str, str] = {}


def fold(text: str) -> str:
    """Lower-case, accent-free, plain-apostrophe text of the same length as ``text``."""
    out = []
    for char in text:
        folded = _CACHE.get(char)
        if folded is None:
            folded = _CACHE[char] = _fold_char(char)
        out.append(folded)
    return "".join(out)


def norm(text: str) -> str:
    """Folded text with runs of whitespace made one space, trimmed: for comparing names."""
    return " ".join(fold(text).split())


def word_pattern(phrase: str) -> str:
    """A regex matching the folded ``phrase`` at word boundaries, any whitespace between words."""
    words = norm(phrase).split(" ")
    body = r"\s+".join(re.escape(word) for word in words)
    if body.endswith("'"):  # "afin d'", "de l'": the next word follows the apostrophe directly
        return rf"(?<![\w]){body}\s*"
    return rf"(?<![\w]){body}(?![\w])"


def slug(text: str, limit: int = 60) -> str:
    """A kebab-case key from a label: ``Agence de l'innovation`` -> ``agence-de-l-innovation``."""
    words = re.findall(r"[a-z0-9]+", fold(text))
    out = "-".join(words)
    if len(out) > limit:
        cut = out[: limit + 1]
        out = cut[: cut.rfind("-")] if "-" in cut else out[:limit]
    out = out.strip("-")
    return out or "entite"


def stable_id(prefix: str, *parts: str) -> str:
    """A short id derived from content only (same content, same id, whatever the run)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:10]
    return f"{prefix}-{digest}"


def clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim whitespace and enclosing punctuation from ``text[start:end]``."""
    while start < end and (text[start].isspace() or text[start] in ",;:«»\"'’("):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:«»\"'’)."):
        if _closes(text[start : end - 1], text[end - 1]):
            break  # convention « armées – territoire »: the closing mark of a quote the span opens
        end -= 1
    return start, end


def _closes(inside: str, char: str) -> bool:
    """Whether ``char`` closes a quotation (or bracket) opened inside the span."""
    if char == "»":
        return inside.count("«") > inside.count("»")
    if char == ")":
        return inside.count("(") > inside.count(")")
    if char == '"':
        return inside.count('"') % 2 == 1
    return False
