"""Who a letter is for, and what must never be in it: another person's confidential address.

A letter is about its reader only (section 4 of the domain reference).  This module holds
the parts of that rule that are about people and places:

* ``recipients``: the readers of a request (everyone with parental responsibility, or the
  one person named);
* ``protected_others``: the other people in the case whose address is confidential.  When
  there are any, meetings are held separately: a reader's letter never gives a booked
  meeting or family group conference that such a person may be at (it would say where and
  when they will be), and names nobody else as coming to the reader's meeting;
* ``address_parts`` and ``find_leak``: the finished letter is searched for every part of
  the confidential addresses of the people it is not for: each whole line, the street
  (without its house number), the town or other place-name lines, and the postcode, with
  or without its space.  Matching ignores case, spacing and punctuation, and knows the
  usual street abbreviations (St, Rd, Ave...).  A part that also appears in the reader's
  own address or in the council's address is not looked for: printing it reveals nothing
  (two parents may live in the same town).

Pure: no database, no Qt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from plo_tracker.domain.model import CaseHistory, Party
from plo_tracker.errors import ValidationError

# Words that are not distinctive enough to look for on their own.
_TOO_COMMON = frozenset(
    {"england", "wales", "uk", "united kingdom", "great britain", "gb", "flat", "house"}
)
_ABBREVIATIONS = {
    "st": "street",
    "rd": "road",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "dr": "drive",
    "cl": "close",
    "ct": "court",
    "cres": "crescent",
    "pl": "place",
    "sq": "square",
    "ter": "terrace",
    "terr": "terrace",
    "gdns": "gardens",
    "gr": "grove",
    "pk": "park",
    "mt": "mount",
    "hse": "house",
}
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_FLAT = re.compile(r"^(flat|apartment|apt|unit|room|floor)\b", re.IGNORECASE)
_HOUSE_NUMBER = re.compile(r"^\s*\d+[a-z]?(\s*[-/]\s*\d+[a-z]?)?\s+", re.IGNORECASE)

KIND_WORDS = {
    "line": "an address line",
    "street": "the street",
    "place": "the town or area",
    "postcode": "the postcode",
}


def recipients(case: CaseHistory, party: str | None) -> tuple[Party, ...]:
    """The readers: one named party, else everyone with parental responsibility."""
    if party is not None:
        found = case.party(party)
        if found is None:
            known = ", ".join(p.id for p in case.parties) or "nobody"
            raise ValidationError(
                f"Case {case.reference} has no person with the ID '{party}'. "
                f"The people in it are: {known}."
            )
        return (found,)
    with_pr = tuple(p for p in case.parties if p.parental_responsibility)
    if not with_pr:
        raise ValidationError(
            f"Case {case.reference} has nobody recorded with parental responsibility, so there "
            "is nobody to write to. Add the parents to the case, or name a person with --party."
        )
    return with_pr


def protected_others(case: CaseHistory, reader: Party) -> tuple[Party, ...]:
    """The other people in the case whose address is confidential."""
    return tuple(p for p in case.parties if p.id != reader.id and p.address_confidential)


def meetings_are_separate(case: CaseHistory) -> bool:
    """True when someone in the case has a confidential address: each person is met alone."""
    return any(p.address_confidential for p in case.parties)


# -- the parts of an address ------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    return [_ABBREVIATIONS.get(t, t) for t in _TOKEN.findall(text.casefold())]


def _postcodes(text: str) -> set[str]:
    return {(a + b).upper() for a, b in _POSTCODE.findall(text)}


@dataclass(frozen=True, slots=True)
class AddressPart:
    kind: str  # line | street | place | postcode
    tokens: tuple[str, ...]  # for postcodes: the postcode without spaces, upper case

    @property
    def words(self) -> str:
        return KIND_WORDS[self.kind]


def _parts_of(lines: Iterable[str]) -> set[AddressPart]:
    parts: set[AddressPart] = set()
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        codes = _postcodes(line)
        for code in codes:
            parts.add(AddressPart("postcode", (code,)))
        rest = _POSTCODE.sub(" ", line)
        whole = tuple(_tokens(line))
        only_postcode = codes and not _tokens(rest)
        if (
            whole
            and not only_postcode
            and " ".join(whole) not in _TOO_COMMON
            and len(" ".join(whole)) >= 4
        ):
            parts.add(AddressPart("line", whole))
        for piece in rest.split(","):
            piece = piece.strip()
            if not piece or _FLAT.match(piece):
                continue
            if re.search(r"\d", piece):
                street = _HOUSE_NUMBER.sub("", piece)
                if street != piece and not re.search(r"\d", street):
                    tokens = tuple(_tokens(street))
                    if tokens and len(" ".join(tokens)) >= 4:
                        parts.add(AddressPart("street", tokens))
                continue
            tokens = tuple(_tokens(piece))
            text = " ".join(tokens)
            if tokens and text not in _TOO_COMMON and len(text) >= 3:
                parts.add(AddressPart("place", tokens))
    # A line that is only a town (or only a street) is named by that, not as a line.
    named = {p.tokens for p in parts if p.kind != "line"}
    return {p for p in parts if p.kind != "line" or p.tokens not in named}


def _known(part: AddressPart, lines: Sequence[str]) -> bool:
    """True when ``part`` appears in these address lines (the reader's or the council's)."""
    return any(find_leak(line, (part,)) is not None for line in lines)


def address_parts(
    case: CaseHistory, reader: Party, *, council_address: Sequence[str] = ()
) -> tuple[AddressPart, ...]:
    """The parts of other people's confidential addresses that must not be in ``reader``'s
    letter (less those in the reader's own or the council's address)."""
    known = [*reader.address, *council_address]
    found: set[AddressPart] = set()
    for party in protected_others(case, reader):
        for part in _parts_of(party.address):
            if not _known(part, known):
                found.add(part)
    return tuple(sorted(found, key=lambda p: (p.kind, p.tokens)))


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    size = len(needle)
    if size == 0 or size > len(haystack):
        return False
    first = needle[0]
    for start in range(len(haystack) - size + 1):
        if haystack[start] == first and list(haystack[start : start + size]) == list(needle):
            return True
    return False


def find_leak(text: str, parts: Sequence[AddressPart]) -> AddressPart | None:
    """The first part of a confidential address found in ``text``, or None."""
    if not parts:
        return None
    tokens = _tokens(text)
    codes = _postcodes(text)
    for part in parts:
        if part.kind == "postcode":
            if part.tokens[0] in codes:
                return part
        elif _contains(tokens, part.tokens):
            return part
    return None
