"""Addresses in any form: the parts of an address a reader must not see, and finding them
in a letter's text whatever the spelling tricks (domain reference section 6).

Text is compared after Unicode normalisation: NFKC, format characters (soft hyphens,
zero-width spaces and joiners) removed, accents and look-alike letters from other scripts
folded to plain Latin, case folded, and punctuation and spacing ignored *inside* a match but
not across word edges: a part matches a run of whole words, so "Os-westry", "Os\u00adwestry",
"O s w e s t r y" and "OSWESTRY" are all "Oswestry", while "Castlegate" is not "Castle".

The parts of an address looked for:

* ``line``: a whole address line, without the house number's punctuation;
* ``street``: the street without its house number ("Larkspur Close");
* ``word``: a distinctive word of a street or building name ("Larkspur", "Cedar"), not a
  common street word (Road, Close, Flat, House, Church...);
* ``place``: a town, village or area line ("Oswestry", "Church Stretton"), and each
  distinctive word of it ("Stretton");
* ``postcode``: the full postcode in any spacing ("SY11 4QT", "sy114qt");
* ``outward``: the postcode's first half ("SY11"), in any spacing.

A part that also appears in the reader's own address or in the council's address is not
looked for: printing it reveals nothing. Pure: no database, no Qt.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

KIND_WORDS = {
    "line": "an address line",
    "street": "the street",
    "word": "a word of the street or building name",
    "place": "the town or area",
    "postcode": "the postcode",
    "outward": "the start of the postcode",
}
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
# Words too common in addresses to identify one on their own (a phrase containing them, e.g.
# "Castle Street", is still looked for as a whole).
COMMON_WORDS = frozenset(
    {
        *_ABBREVIATIONS.values(),
        "flat", "flats", "apartment", "apartments", "apt", "unit", "room", "floor", "block",
        "house", "houses", "cottage", "cottages", "court", "close", "road", "street", "lane",
        "way", "walk", "row", "view", "green", "hill", "hills", "rise", "mews", "yard",
        "park", "gardens", "garden", "grove", "place", "square", "terrace", "crescent",
        "avenue", "drive", "mount", "gate", "end", "side", "field", "fields", "farm",
        "estate", "centre", "center", "building", "buildings", "lodge", "manor", "hall",
        "the", "and", "of", "upon", "on", "in", "under", "next", "near", "by",
        "upper", "lower", "north", "south", "east", "west", "new", "old", "great", "little",
        "high", "low", "main", "church", "chapel", "castle", "station", "market", "bridge",
        "school", "mill", "well", "wood", "woods", "water", "brook", "river", "bank",
        "england", "wales", "scotland", "uk", "united", "kingdom", "britain", "gb",
        "town", "city", "village", "county", "borough", "district", "council",
    }
)  # fmt: skip
# Letters of other scripts that look like Latin ones, folded before comparing.
_CONFUSABLES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
        "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ɡ": "g", "ı": "i", "ℓ": "l",
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v",
        "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
    }
)  # fmt: skip
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)
_FLAT = re.compile(r"^(flat|apartment|apt|unit|room|floor)\b", re.IGNORECASE)
_HOUSE_NUMBER = re.compile(r"^\s*\d+[a-z]?(\s*[-/]\s*\d+[a-z]?)?\s+", re.IGNORECASE)


def fold(text: str) -> str:
    """The text as compared: NFKC, no format characters, no accents, look-alikes folded."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.translate(_CONFUSABLES)


def tokens(text: str) -> list[str]:
    """The words of a text, folded, with the usual street abbreviations written out."""
    return [_ABBREVIATIONS.get(t, t) for t in _TOKEN.findall(fold(text))]


@dataclass(frozen=True, slots=True)
class AddressPart:
    kind: str  # line | street | word | place | postcode | outward
    tokens: tuple[str, ...]
    shown: str = ""  # as written in the address, for messages

    @property
    def words(self) -> str:
        return KIND_WORDS[self.kind]

    @property
    def target(self) -> str:
        return "".join(self.tokens)


class _Text:
    """A text as one string of its folded words, remembering where each word starts."""

    def __init__(self, text: str) -> None:
        words = tokens(text)
        self.joined = "".join(words)
        self.edges: set[int] = {0}
        position = 0
        for word in words:
            position += len(word)
            self.edges.add(position)

    def has(self, target: str) -> bool:
        """True when ``target`` is a run of whole words of the text (spacing ignored)."""
        if not target:
            return False
        start = self.joined.find(target)
        while start != -1:
            if start in self.edges and start + len(target) in self.edges:
                return True
            start = self.joined.find(target, start + 1)
        return False


def _postcodes(line: str) -> list[tuple[str, str]]:
    return [(a.upper(), b.upper()) for a, b in _POSTCODE.findall(fold(line))]


def parts_of(lines: Iterable[str]) -> set[AddressPart]:
    """Every part of an address that identifies it (see the module's list)."""
    parts: set[AddressPart] = set()
    for raw in lines:
        original = " ".join(raw.split())
        if not original:
            continue
        for outward, inward in _postcodes(original):
            parts.add(AddressPart("postcode", ((outward + inward).lower(),), f"{outward} {inward}"))
            parts.add(AddressPart("outward", (outward.lower(),), outward))
        without_postcode = _POSTCODE.sub(" ", fold(original))
        whole = tuple(tokens(without_postcode))
        if whole and len("".join(whole)) >= 4 and not set(whole) <= COMMON_WORDS:
            parts.add(AddressPart("line", whole, original))
        for piece in original.split(","):
            shown = " ".join(_POSTCODE.sub(" ", piece).split())
            _street_or_place(shown, parts)
    named = {p.tokens for p in parts if p.kind != "line"}
    return {p for p in parts if p.kind != "line" or p.tokens not in named}


def _street_or_place(shown: str, parts: set[AddressPart]) -> None:
    words = tuple(tokens(shown))
    if not words or _FLAT.match(fold(shown)):
        return
    if any(w.isdigit() or re.search(r"\d", w) for w in words):
        street = _HOUSE_NUMBER.sub("", shown)
        if street == shown or re.search(r"\d", street):
            return
        named = tuple(tokens(street))
        if named and len("".join(named)) >= 4 and (len(named) > 1 or named[0] not in COMMON_WORDS):
            parts.add(AddressPart("street", named, street))
        _distinctive(street, "word", parts)
        return
    if set(words) <= COMMON_WORDS or len("".join(words)) < 3:
        return
    # A named building or a street with no number ("Cedar House", "Larkspur Close"), or a
    # town ("Oswestry", "Church Stretton"): the whole, and each distinctive word.
    kind = "street" if words[-1] in COMMON_WORDS else "place"
    parts.add(AddressPart(kind, words, shown))
    _distinctive(shown, "word" if kind == "street" else "place", parts)


def _distinctive(shown: str, kind: str, parts: set[AddressPart]) -> None:
    """Each word of a name that identifies it on its own: not a common street word, and not
    one of the 3,000 familiar English words of the Dale-Chall list ("Broad", "Long",
    "Castle" are everyday words; "Larkspur", "Cedar", "Stretton" are not)."""
    familiar = familiar_words()
    for original in _TOKEN.findall(shown):
        word = tokens(original)[0]
        if (
            word not in COMMON_WORDS
            and word not in familiar
            and len(word) >= 4
            and not re.search(r"\d", word)
        ):
            parts.add(AddressPart(kind, (word,), original))


@cache
def familiar_words() -> frozenset[str]:
    """The Dale-Chall list of familiar words, as shipped with textstat (offline)."""
    try:
        found = resources.files("textstat") / "resources" / "en" / "easy_words.txt"
        return frozenset(word.casefold() for word in found.read_text(encoding="utf-8").split())
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - a broken install
        return frozenset()


def known_in(part: AddressPart, lines: Sequence[str]) -> bool:
    """True when ``part`` appears in these address lines (the reader's or the council's)."""
    text = _Text("\n".join(lines))
    return text.has(part.target)


def find(text: str, parts: Sequence[AddressPart]) -> AddressPart | None:
    """The first part found in ``text``, most specific first, or None."""
    if not parts:
        return None
    searched = _Text(text)
    order = {"postcode": 0, "line": 1, "street": 2, "place": 3, "outward": 4, "word": 5}
    for part in sorted(parts, key=lambda p: (order[p.kind], -len(p.target))):
        if searched.has(part.target):
            return part
    return None


def mentions(text: str, phrase: str) -> bool:
    """True when ``text`` holds ``phrase`` as a run of whole words, compared as addresses are
    (folded, spacing and punctuation inside it ignored)."""
    return _Text(text).has("".join(tokens(phrase)))
