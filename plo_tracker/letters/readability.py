"""The plain-language check: reading ease, grade, long sentences, passive voice, jargon.

Works offline on any .docx (letters made here or written elsewhere) or on plain text.

How the text is read
    Every paragraph of the body, tables included (not the page header or footer,
    which hold the council's letterhead), in document order, except paragraphs in the
    style "Language line" (the first line in the reader's own language).  A manual line break
    starts a new line.  A line with no full stop, question or exclamation mark and at
    most five words (an address line, a date, "Dear Kelly Jones,", a table heading),
    or a paragraph in a Heading or Title style, is a *label*: it is checked for jargon
    but is not a sentence, so it neither shortens the average sentence nor counts as
    one.  Every other line is split into sentences after ``.``, ``!`` or ``?`` followed
    by a space and a capital or a digit (not after Mr., Dr., e.g. and the like).

Scores
    Flesch reading ease and Flesch-Kincaid grade come from textstat (0.7.8, which
    needs no downloads), computed on the sentences joined as running text.  Targets:
    reading ease 70 or more; grade 6 or below (a strong warning above 9, as the
    domain reference sets); no sentence over 25 words.

Passive voice
    A heuristic: a form of "be" (optionally followed by an adverb) then a past
    participle ("was sent", "will be given", "are not allowed" is excluded as an
    adjective).  It finds most passives and misses some; it is advice, not a rule.

Jargon
    The terms of ``jargon.py`` (plus the council's), by whole word.  A term that the
    letter explains is not reported from that point on.  It counts as explained when
    it follows "called" or "known as" ("a meeting called a family group conference"),
    when it is followed by a bracket, a colon or "which means", when the next
    sentence starts "This means", "That means", "It means", "This would mean",
    "This would let", "This is when", "This is where" or "This is a", or when the
    sentence also holds the plain alternative itself.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import textstat
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from plo_tracker.letters.docxfile import open_document, read_bytes
from plo_tracker.letters.jargon import DEFAULT_TERMS, JargonTerm

LONG_SENTENCE_WORDS = 25
READING_EASE_TARGET = 70.0
GRADE_WARN = 6.0
GRADE_STRONG = 9.0
LABEL_MAX_WORDS = 5
LONGEST_SHOWN = 3
OTHER_LANGUAGE_STYLE = "language line"  # paragraphs in this style are not checked

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_W_P = qn("w:p")
_W_PPR = qn("w:pPr")
_W_PSTYLE = qn("w:pStyle")
_W_STYLE = qn("w:style")
_W_STYLE_ID = qn("w:styleId")
_W_NAME = qn("w:name")
_W_VAL = qn("w:val")
_WORD = re.compile(r"[^\W_](?:[\w'’.@/-]*[^\W_])?")
_TERMINAL = re.compile(r"[.!?][\"'”’)\]]*$")
_SPLIT = re.compile(r"([.!?]+[\"'”’)\]]*)\s+(?=[\"'“‘(\[]*[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "no", "eg", "e.g", "ie", "i.e", "etc", "vs", "approx", "tel"}
)

_BE = r"(?:am|is|are|was|were|be|been|being)"
_ADVERB = r"(?:\s+(?:not|also|already|still|then|now|just|never|always|often|usually|\w+ly))?"
_IRREGULAR = (
    "arisen awoken beaten become begun bent bitten blown broken brought built bought caught "
    "chosen dealt done drawn driven eaten fallen fed felt fought found forgiven forgotten frozen "
    "given grown heard held hidden hurt kept known laid led left lent lost made meant met paid "
    "rung risen said seen sent shaken shown sold sought spent spoken stolen struck sworn taken "
    "taught thought thrown told torn understood woken won worn written"
)
_PASSIVE = re.compile(
    rf"\b{_BE}{_ADVERB}\s+((?:\w{{2,}}ed)|(?:{'|'.join(_IRREGULAR.split())}))\b", re.IGNORECASE
)
# Participles that are usually adjectives after "be" ("we are worried").
_ADJECTIVES = frozenset(
    {
        "worried",
        "concerned",
        "pleased",
        "interested",
        "tired",
        "scared",
        "frightened",
        "married",
        "divorced",
        "supposed",
        "used",
        "related",
        "allowed",
        "prepared",
        "excited",
        "surprised",
        "shocked",
        "upset",
        "bored",
        "confused",
        "disabled",
        "qualified",
        "registered",
        "detailed",
        "skilled",
        "experienced",
        "closed",
        "aged",
        "called",
        "named",
    }
)
_EXPLAINED_BEFORE = re.compile(r"\b(called|known as)\s+(an?\s+|the\s+)?$", re.IGNORECASE)
_EXPLAINED_AFTER = re.compile(r"^\s*(\(|:|,?\s*(which|that)\s+means\b)", re.IGNORECASE)
_EXPLAINED_NEXT = re.compile(
    r"^((This|That|It)\s+means|This\s+(would|will)\s+(mean|let)|This\s+is\s+(when|where|an?))\b"
)


@dataclass(frozen=True, slots=True)
class Block:
    """One line of text as a reader meets it; ``label`` for headings, addresses, dates."""

    text: str
    label: bool = False


@dataclass(frozen=True, slots=True)
class JargonFinding:
    term: str
    suggestion: str
    sentence: str

    def to_json(self) -> dict[str, str]:
        return {"term": self.term, "suggestion": self.suggestion, "sentence": self.sentence}


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of advice, with the sentence it comes from (empty for whole-letter scores)."""

    kind: str  # reading_ease | grade | long_sentence | passive | jargon
    severity: str  # strong | warning | advice
    message: str
    sentence: str = ""


@dataclass(frozen=True, slots=True)
class ReadabilityReport:
    reading_ease: float
    grade: float
    sentence_count: int
    word_count: int
    longest: tuple[tuple[int, str], ...]  # (words, sentence), longest first
    long_sentences: tuple[str, ...]
    passive: tuple[str, ...]
    jargon: tuple[JargonFinding, ...]

    @property
    def plain_enough(self) -> bool:
        """Meets the targets: reading ease 70+, no sentence over 25 words."""
        return self.reading_ease >= READING_EASE_TARGET and not self.long_sentences

    def findings(self) -> list[Finding]:
        found: list[Finding] = []
        if self.sentence_count == 0:
            found.append(Finding("reading_ease", "warning", "There is no text to check."))
            return found
        if self.reading_ease < READING_EASE_TARGET:
            found.append(
                Finding(
                    "reading_ease",
                    "warning",
                    f"Reading ease is {self.reading_ease:.0f}; aim for "
                    f"{READING_EASE_TARGET:.0f} or more with shorter sentences and words.",
                )
            )
        if self.grade > GRADE_STRONG:
            found.append(
                Finding(
                    "grade",
                    "strong",
                    f"Grade {self.grade:.1f} is far too hard for many parents; aim for "
                    f"{GRADE_WARN:.0f} or below.",
                )
            )
        elif self.grade > GRADE_WARN:
            found.append(
                Finding(
                    "grade",
                    "warning",
                    f"Grade {self.grade:.1f}; aim for {GRADE_WARN:.0f} or below.",
                )
            )
        for sentence in self.long_sentences:
            found.append(
                Finding(
                    "long_sentence",
                    "warning",
                    f"This sentence has {count_words(sentence)} words; split it "
                    f"(aim for {LONG_SENTENCE_WORDS} or fewer).",
                    sentence,
                )
            )
        for item in self.jargon:
            found.append(
                Finding(
                    "jargon",
                    "warning",
                    f"'{item.term}' is jargon. Explain it, or say: {item.suggestion}.",
                    item.sentence,
                )
            )
        for sentence in self.passive:
            found.append(
                Finding(
                    "passive",
                    "advice",
                    "Passive voice: say who does what ('we will send you' rather than "
                    "'you will be sent').",
                    sentence,
                )
            )
        return found

    def to_json(self) -> dict[str, Any]:
        """The ``check-letter --format json`` document (its shape is fixed)."""
        return {
            "reading_ease": float(self.reading_ease),
            "grade": float(self.grade),
            "long_sentences": list(self.long_sentences),
            "jargon": [item.to_json() for item in self.jargon],
        }


# -- reading text ------------------------------------------------------------------------------


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def is_label(text: str) -> bool:
    return not _TERMINAL.search(text.strip()) and count_words(text) <= LABEL_MAX_WORDS


def _style_names(document: DocumentObject) -> dict[str, str]:
    """Paragraph style id -> style name, read once per document."""
    names: dict[str, str] = {}
    try:
        styles = document.styles.element
    except (KeyError, ValueError, AttributeError):  # a document without a styles part
        return names
    for style in styles.iter(_W_STYLE):
        style_id = style.get(_W_STYLE_ID)
        name = style.find(_W_NAME)
        if style_id and name is not None:
            names[style_id] = name.get(_W_VAL) or ""
    return names


def _style_of(element: Any, names: dict[str, str]) -> str:
    style = element.find(f"{_W_PPR}/{_W_PSTYLE}")
    if style is None:
        return ""
    return names.get(style.get(_W_VAL) or "", "").lower()


def blocks_from_document(document: DocumentObject) -> list[Block]:
    """The lines of a document's body (tables included), in reading order."""
    names = _style_names(document)
    blocks: list[Block] = []
    for element in document.element.body.iter(_W_P):
        if any(ancestor.tag == _MC_FALLBACK for ancestor in element.iterancestors()):
            continue  # the duplicate of a text box kept for old versions of Word
        style = _style_of(element, names)
        if style == OTHER_LANGUAGE_STYLE:
            continue  # the first line in the reader's own language is not English
        heading = style.startswith(("heading", "title"))
        for line in Paragraph(element, document).text.split("\n"):  # type: ignore[arg-type]
            line = " ".join(line.split())
            if line:
                blocks.append(Block(line, label=heading or is_label(line)))
    return blocks


def blocks_from_text(text: str) -> list[Block]:
    blocks = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            blocks.append(Block(line, label=is_label(line)))
    return blocks


def split_sentences(text: str) -> list[str]:
    """Sentences of one line of text."""
    sentences: list[str] = []
    start = 0
    for match in _SPLIT.finditer(text):
        before = text[start : match.start()].rsplit(None, 1)
        last_word = before[-1].lower().rstrip(".") if before else ""
        if match.group(1) == "." and last_word in _ABBREVIATIONS:
            continue
        sentences.append(text[start : match.end(1)].strip())
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return [s for s in sentences if count_words(s)]


# -- checks ------------------------------------------------------------------------------------


def passive_phrases(sentence: str) -> list[str]:
    return [
        m.group(0) for m in _PASSIVE.finditer(sentence) if m.group(1).lower() not in _ADJECTIVES
    ]


def _explained(units: Sequence[str], index: int, match: re.Match[str], term: JargonTerm) -> bool:
    sentence = units[index]
    if _EXPLAINED_BEFORE.search(sentence[: match.start()]):
        return True
    if _EXPLAINED_AFTER.match(sentence[match.end() :]):
        return True
    if term.suggestion.lower() in sentence.lower():
        return True
    return index + 1 < len(units) and bool(_EXPLAINED_NEXT.match(units[index + 1]))


@functools.lru_cache(maxsize=16)
def _any_term(patterns: tuple[tuple[str, int], ...]) -> re.Pattern[str]:
    """One pattern matching wherever any of the terms could: most sentences hold no jargon,
    and one search tells so instead of one per term."""
    parts = [f"(?{'i' if flags & re.IGNORECASE else ''}:{body})" for body, flags in patterns]
    return re.compile("|".join(parts) or "(?!)")


def find_jargon(units: Sequence[str], terms: Iterable[JargonTerm]) -> list[JargonFinding]:
    """Jargon in reading order; a term is not reported once the text has explained it."""
    # Longer terms first, so "interim care order" is not also reported as "care order".
    ordered = sorted(terms, key=lambda t: -len(t.term))
    screen = _any_term(tuple((t.pattern.pattern, t.pattern.flags) for t in ordered))
    found: list[JargonFinding] = []
    seen: set[tuple[str, str]] = set()
    explained: set[str] = set()
    for index, unit in enumerate(units):
        if not screen.search(unit):
            continue
        taken: list[tuple[int, int]] = []
        for term in ordered:
            for match in term.find(unit):
                if any(match.start() < end and start < match.end() for start, end in taken):
                    continue
                taken.append((match.start(), match.end()))
                if term.group in explained:
                    continue
                if _explained(units, index, match, term):
                    explained.add(term.group)
                    continue
                key = (term.term, unit)
                if key not in seen:
                    seen.add(key)
                    found.append(JargonFinding(term.term, term.suggestion, unit))
    return found


def _score_text(sentences: Sequence[str]) -> str:
    return " ".join(s if _TERMINAL.search(s) else s + "." for s in sentences)


def check_blocks(
    blocks: Sequence[Block], terms: Iterable[JargonTerm] = DEFAULT_TERMS
) -> ReadabilityReport:
    units: list[str] = []
    sentences: list[str] = []
    for block in blocks:
        if block.label:
            units.append(block.text)
            continue
        for sentence in split_sentences(block.text):
            units.append(sentence)
            sentences.append(sentence)
    if sentences:
        text = _score_text(sentences)
        ease = round(float(textstat.flesch_reading_ease(text)), 1)
        grade = round(float(textstat.flesch_kincaid_grade(text)), 1)
    else:
        ease = grade = 0.0
    counted = sorted(((count_words(s), s) for s in sentences), key=lambda pair: -pair[0])
    passive: list[str] = []
    for sentence in sentences:
        if passive_phrases(sentence) and sentence not in passive:
            passive.append(sentence)
    long_sentences: list[str] = []
    for sentence in sentences:
        if count_words(sentence) > LONG_SENTENCE_WORDS and sentence not in long_sentences:
            long_sentences.append(sentence)
    return ReadabilityReport(
        reading_ease=ease,
        grade=grade,
        sentence_count=len(sentences),
        word_count=sum(count_words(s) for s in sentences),
        longest=tuple(counted[:LONGEST_SHOWN]),
        long_sentences=tuple(long_sentences),
        passive=tuple(passive),
        jargon=tuple(find_jargon(units, terms)),
    )


def check_text(text: str, terms: Iterable[JargonTerm] = DEFAULT_TERMS) -> ReadabilityReport:
    return check_blocks(blocks_from_text(text), terms)


def check_document(
    document: DocumentObject, terms: Iterable[JargonTerm] = DEFAULT_TERMS
) -> ReadabilityReport:
    return check_blocks(blocks_from_document(document), terms)


def check_docx_bytes(
    data: bytes, name: str, terms: Iterable[JargonTerm] = DEFAULT_TERMS
) -> ReadabilityReport:
    return check_document(open_document(data, name), terms)


def check_docx_file(path: Path, terms: Iterable[JargonTerm] = DEFAULT_TERMS) -> ReadabilityReport:
    return check_docx_bytes(read_bytes(path), Path(path).name, terms)
