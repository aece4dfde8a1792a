"""Legal and social-work jargon, each term with a plain alternative to suggest.

The default list is the jargon table of the domain reference
(``shared/domain/plo-process.md`` section 4), with the common forms of each term.
A council adds its own terms in the setting ``letters.jargon_extra`` (a list of
``{"term": ..., "suggestion": ...}``, checked by ``check_extra``).

Matching is by whole word.  A term holding a word in capitals (``PLO``, ``LAC``,
``CIN plan``) matches only in capitals, and never inside a code such as the case
reference ``PLO-2024-0007``; other terms match in any case, with spaces and hyphens
treated alike ("pre proceedings").  A few terms carry a hand-written pattern:
"contact" is flagged as the noun (family time), not the verb in "contact us";
"engage", "issue proceedings" and "step down" include their other forms.

When a letter explains a term, the readability check stops flagging it (see
``readability.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from plo_tracker.errors import ValidationError
from plo_tracker.validation import shown, text_problem

TERM_LIMIT = 100
SUGGESTION_LIMIT = 300
MAX_EXTRA_TERMS = 500


@dataclass(frozen=True, slots=True)
class JargonTerm:
    term: str
    suggestion: str
    pattern: re.Pattern[str] = field(compare=False, repr=False)
    group: str = ""  # the terms of one row of the table share a group (and an explanation)
    source: str = "domain reference"

    def find(self, text: str) -> list[re.Match[str]]:
        return list(self.pattern.finditer(text))


def _has_acronym(term: str) -> bool:
    return any(
        len(word) >= 2 and word.isupper() for word in re.split(r"[\s-]+", term) if word.isalpha()
    )


def term_pattern(term: str) -> re.Pattern[str]:
    """A whole-word pattern for a plain term; spaces and hyphens match each other."""
    words = [re.escape(w) for w in re.split(r"[\s-]+", term.strip()) if w]
    body = r"[\s-]*".join(words)
    flags = 0 if _has_acronym(term) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", flags)


def make_term(
    term: str,
    suggestion: str,
    pattern: str | None = None,
    group: str = "",
    source: str = "domain reference",
) -> JargonTerm:
    compiled = re.compile(pattern, re.IGNORECASE) if pattern else term_pattern(term)
    return JargonTerm(term, suggestion, compiled, group or term.lower(), source)


# (forms of the term, plain alternative, {form: hand-written pattern})
_TABLE: tuple[tuple[tuple[str, ...], str, dict[str, str]], ...] = (
    (
        ("Public Law Outline", "PLO"),
        "the steps we must follow before we can ask a court to decide about your child",
        {},
    ),
    (("pre-proceedings",), "the time before we might go to court", {}),
    (("care proceedings",), "a court case about where your child lives", {}),
    (
        ("issue proceedings",),
        "start a court case",
        {"issue proceedings": r"(?<![\w-])(issue[sd]?|issuing)\s+(care\s+)?proceedings(?![\w-])"},
    ),
    (
        ("threshold", "significant harm"),
        "we think your child has been badly hurt, or could be",
        {},
    ),
    (
        ("legal planning meeting", "legal gateway"),
        "a meeting where our managers and lawyer decide what to do next",
        {},
    ),
    (("parental responsibility",), "the legal rights and duties of a parent", {}),
    (
        ("interim care order", "care order"),
        "a court order that lets us make decisions about your child's care",
        {},
    ),
    (
        ("supervision order",),
        "a court order that means a social worker keeps checking how your child is doing",
        {},
    ),
    (("written agreement", "PLO plan"), "the plan we agree together", {}),
    (("viability assessment",), "a check of whether a relative could look after your child", {}),
    (
        ("family group conference", "FGDM", "FGC"),
        "a family meeting where your family makes a plan",
        {},
    ),
    (
        ("contact",),
        "family time",
        {
            "contact": r"(?<![\w-])contact(?![\w-])(?!\s+(us|me|him|her|them|you|your|our|the|a|"
            r"an|this|that|my|his|their|any|someone|anyone|details|number|centre)\b)"
        },
    ),
    (("placement",), "where your child lives", {}),
    (
        ("looked after", "LAC", "CLA"),
        "in care",
        {"looked after": r"(?<![\w-])looked\s+after(?![\w-])(?!\s+by\b)"},
    ),
    (
        ("engage",),
        "take part",
        {"engage": r"(?<![\w-])(engage|engages|engaged|engaging|engagement)(?![\w-])"},
    ),
    (
        ("non-engagement",),
        "did not come to meetings or answer calls",
        {"non-engagement": r"(?<![\w-])non[\s-]?engagement(?![\w-])"},
    ),
    (("substance misuse",), "using drugs or drinking too much alcohol", {}),
    (
        ("hair strand test",),
        "a test of a small piece of hair that shows drug or alcohol use",
        {"hair strand test": r"(?<![\w-])hair[\s-]?strand\s+test(s|ing)?(?![\w-])"},
    ),
    (("shall", "must comply with"), "you need to", {}),
    (
        ("step down",),
        "we will stop this process and keep helping you through your child protection or "
        "child in need plan",
        {"step down": r"(?<![\w-])(step|steps|stepped|stepping)[\s-]down(?![\w-])"},
    ),
    (("the local authority",), "we, or the council's name", {}),
    (
        ("CP plan", "CIN plan", "core group", "ICPC", "RCPC"),
        "write the full name and explain it once",
        {},
    ),
)


def default_terms() -> tuple[JargonTerm, ...]:
    terms: list[JargonTerm] = []
    for names, suggestion, patterns in _TABLE:
        for name in names:
            terms.append(make_term(name, suggestion, patterns.get(name), names[0].lower()))
    return tuple(terms)


DEFAULT_TERMS: tuple[JargonTerm, ...] = default_terms()


def check_extra(entries: Any) -> list[dict[str, str]]:
    """Validate a council's extra terms (the setting's JSON value); returns them cleaned."""
    if entries is None:
        return []
    if not isinstance(entries, list | tuple):
        raise ValidationError("Extra jargon: must be a list of terms with suggestions.")
    if len(entries) > MAX_EXTRA_TERMS:
        raise ValidationError(f"Extra jargon: at most {MAX_EXTRA_TERMS} terms.")
    cleaned: list[dict[str, str]] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping) or set(entry) != {"term", "suggestion"}:
            raise ValidationError(
                f"Extra jargon, entry {number}: give exactly a term and a suggestion."
            )
        term, suggestion = entry["term"], entry["suggestion"]
        if not isinstance(term, str) or not isinstance(suggestion, str):
            raise ValidationError(f"Extra jargon, entry {number}: term and suggestion are text.")
        term, suggestion = term.strip(), suggestion.strip()
        for label, value, limit in (
            ("term", term, TERM_LIMIT),
            ("suggestion", suggestion, SUGGESTION_LIMIT),
        ):
            problem = text_problem(value, limit)
            if problem:
                raise ValidationError(f"Extra jargon, entry {number}, {label}: {problem}.")
        if not re.search(r"[^\W_]", term):
            raise ValidationError(f"Extra jargon: '{shown(term)}' has no letters to look for.")
        if term.lower() in seen:
            raise ValidationError(f"Extra jargon: '{shown(term)}' is listed twice.")
        seen.add(term.lower())
        cleaned.append({"term": term, "suggestion": suggestion})
    return cleaned


def terms_with(extra: Iterable[Mapping[str, str]] = ()) -> tuple[JargonTerm, ...]:
    """The default terms plus a council's own (checked with ``check_extra`` when stored)."""
    added = tuple(make_term(e["term"], e["suggestion"], source="council") for e in extra)
    return DEFAULT_TERMS + added
