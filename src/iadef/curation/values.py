"""Typed literals from the text curators write, at the precision they give."""

from __future__ import annotations

import calendar
import functools
import re
from decimal import Decimal, InvalidOperation
from importlib import resources

from rdflib import XSD, Literal

from iadef.namespaces import EDTF

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_MONTH_DAY = re.compile(r"^--(\d{2})-(\d{2})$")
LANGUAGE_TAG = re.compile(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*")
_SEASONS = {"21": "spring", "22": "summer", "23": "autumn", "24": "winter"}

DATE_FORMS = "YYYY-MM-DD, YYYY-MM, YYYY, --MM-DD (day of an unknown year) or YYYY-21..24 (EDTF season)"


class ValueProblem(ValueError):
    """A literal that does not fit its kind; the message says why."""


def parse_value(kind: str, text: str, lang: str = "fr") -> Literal:
    """Turn ``text`` into a literal of the given value kind, or raise ValueProblem."""
    text = text.strip()
    if kind == "date":
        return parse_date(text)
    if kind == "text":
        if not text:
            raise ValueProblem("empty text")
        if not LANGUAGE_TAG.fullmatch(lang):
            raise ValueProblem(f"{lang!r} is not a language tag such as fr or en")
        return Literal(text, lang=lang)
    if kind == "string":
        return Literal(text, datatype=XSD.string)
    if kind == "decimal":
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueProblem(f"{text!r} is not a number (write digits, e.g. 130000000)") from None
        if not number.is_finite():
            raise ValueProblem(f"{text!r} is not a finite number")
        if number < 0:
            raise ValueProblem(f"{text!r} is negative: write a number of 0 or more")
        canonical = format(number, "f")
        if "." not in canonical:
            canonical += ".0"  # the XSD canonical form of a decimal has a point
        return Literal(canonical, datatype=XSD.decimal)
    if kind == "integer":
        if not re.fullmatch(r"-?\d+", text):
            raise ValueProblem(f"{text!r} is not a whole number")
        if int(text) < 0:
            raise ValueProblem(f"{text!r} is negative: write a number of 0 or more")
        return Literal(str(int(text)), datatype=XSD.integer)
    if kind == "boolean":
        if text not in ("true", "false"):
            raise ValueProblem(f"{text!r} is not a boolean (write 'true' or 'false')")
        return Literal(text, datatype=XSD.boolean)
    if kind == "currency":
        if not re.fullmatch(r"[A-Z]{3}", text):
            raise ValueProblem(f"{text!r} is not an ISO 4217 currency code such as EUR")
        if text not in currencies():
            raise ValueProblem(f"{text!r} is not in the ISO 4217 list of currency codes ({CURRENCY_FILE})")
        return Literal(text, datatype=XSD.string)
    raise ValueProblem(f"unknown value kind {kind!r}")


CURRENCY_FILE = "src/iadef/curation/data/iso-4217.tsv"


@functools.cache
def currencies() -> frozenset[str]:
    """The ISO 4217 alphabetic codes of ``data/iso-4217.tsv`` (its header says where the list comes from)."""
    text = resources.files("iadef.curation").joinpath("data", "iso-4217.tsv").read_text(encoding="utf-8")
    return frozenset(line.split("\t", 1)[0] for line in text.splitlines() if line and not line.startswith("#"))


def parse_date(text: str) -> Literal:
    """A date literal typed by its precision; impossible dates are refused."""
    if match := _DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
        _check_month(month, text)
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise ValueProblem(f"{text!r} is not a real date ({month:02d}/{year} has no day {day})")
        return Literal(text, datatype=XSD.date)
    if match := _MONTH.match(text):
        _year_text, month_text = match.groups()
        if month_text in _SEASONS:
            return Literal(text, datatype=EDTF)
        _check_month(int(month_text), text)
        return Literal(text, datatype=XSD.gYearMonth)
    if _YEAR.match(text):
        return Literal(text, datatype=XSD.gYear)
    if match := _MONTH_DAY.match(text):
        month, day = (int(part) for part in match.groups())
        _check_month(month, text)
        if not 1 <= day <= calendar.monthrange(2024, month)[1]:
            raise ValueProblem(f"{text!r} is not a real day of the year")
        return Literal(text, datatype=XSD.gMonthDay)
    raise ValueProblem(f"{text!r} is not a date; write {DATE_FORMS}")


def _check_month(month: int, text: str) -> None:
    if not 1 <= month <= 12:
        raise ValueProblem(f"{text!r} has no month {month}")
