"""Filling a .docx template safely, and checking a template before it is used.

Rendering uses docxtpl with a sandboxed, autoescaping, strict Jinja environment:

* ``SandboxedEnvironment``: a template cannot reach Python internals
  (``{{ x.__class__ }}``), call unsafe methods, or build huge strings or ranges;
* autoescape (on the environment *and* in ``render``), so ``&``, ``<`` and quotes in
  names come out as typed instead of breaking the document's XML; braces in values
  are written as character references, so a value holding ``{{ 7*7 }}`` or docxtpl's
  own markers (``{_{``) comes out exactly as typed too;
* ``StrictUndefined``: a field the catalogue does not know, or an optional field with
  no value for this letter, stops the letter with a message naming the field.

Jinja's own exceptions never reach the user: each becomes a ``TemplateError`` with a
plain message.  ``check_template`` runs the same machinery on a specimen case before a
template is accepted, and lists the fields it uses that PLO Tracker does not know.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn

from docx.document import Document as DocumentObject
from docx.opc.oxml import parse_xml
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, nodes
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.meta import find_undeclared_variables
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import missing
from lxml import etree
from markupsafe import Markup, escape

from plo_tracker.letters.bounds import (
    LOOP_FILTER,
    BoundedTemplate,
    Budget,
    RenderLimit,
    count_loops,
)
from plo_tracker.letters.context import Missing, Record
from plo_tracker.letters.docxfile import check_package, open_document
from plo_tracker.letters.errors import (
    ConfidentialAddressError,
    MissingValueError,
    TemplateError,
    TemplateSyntaxProblem,
    UnknownFieldError,
    UnsafeTemplateError,
)
from plo_tracker.letters.jargon import DEFAULT_TERMS, JargonTerm
from plo_tracker.letters.options import Logo
from plo_tracker.letters.privacy import AddressPart, field_words, find_leak, leak_in_fields, snippet
from plo_tracker.letters.readability import ReadabilityReport, blocks_from_document, check_blocks
from plo_tracker.letters.scripts import prepare_document
from plo_tracker.letters.specimen import specimen_context
from plo_tracker.letters.templates import FIELDS_BY_NAME, TemplateSpec
from plo_tracker.validation import shown

FIELD_LIST_HINT = (
    "The fields are listed by 'plo-tracker templates --fields' and in docs/letters.md."
)
MAX_REPEAT = 10_000  # longest string or list a template may build with '*'
LOGO_HEIGHT = Mm(18)


class _FieldProblem(UndefinedError):
    """Raised inside Jinja; carries which field went wrong (turned into a TemplateError)."""

    def __init__(self, kind: str, field: str, reason: str = "") -> None:
        super().__init__(f"{kind}: {field}")
        self.kind = kind  # unknown | missing | whole
        self.field = field
        self.reason = reason


def _problem_for(obj: Any, name: Any, exc: type[Exception]) -> Callable[[str], Exception]:
    """What an undefined value raises when the template uses it."""
    if issubclass(exc, SecurityError):
        return exc
    if obj is missing:
        return lambda _message: _FieldProblem("unknown", str(name))
    if isinstance(obj, Missing):
        return lambda _message: _FieldProblem("missing", f"{obj.field_name}.{name}", obj.reason)
    if isinstance(obj, Record):
        return lambda _message: _FieldProblem("unknown", f"{obj.field_path}.{name}")
    if isinstance(obj, list | tuple) and isinstance(name, int):
        return lambda _message: _FieldProblem("missing", f"item {name}", "the list is shorter")
    return lambda _message: _FieldProblem("unknown", str(name))


class FieldUndefined(StrictUndefined):
    """StrictUndefined that remembers which field was asked for."""

    __slots__ = ()

    def __init__(
        self,
        hint: str | None = None,
        obj: Any = missing,
        name: str | None = None,
        exc: type[Exception] = UndefinedError,
    ) -> None:
        super().__init__(hint, obj, name, exc)  # type: ignore[arg-type]
        self._undefined_exception = _problem_for(obj, name, exc)  # type: ignore[assignment]


_OPEN_BRACE = Markup("&#123;")
_CLOSE_BRACE = Markup("&#125;")


def _finalize(value: Any) -> Any:
    """Every ``{{ value }}``: refuse what cannot be printed, escape the rest for XML."""
    if isinstance(value, Markup):  # already escaped (the '|e' filter)
        return _braces(value)
    if isinstance(value, InlineImage):  # the council's logo, made by render_letter
        return Markup(value._insert_image())  # noqa: S704 - our own picture XML
    if isinstance(value, Logo):
        raise _FieldProblem("whole", "the logo")
    if isinstance(value, Missing):
        raise _FieldProblem("missing", value.field_name, value.reason)
    if isinstance(value, Record):
        raise _FieldProblem("whole", value.field_path)
    if isinstance(value, list | tuple | dict):
        raise _FieldProblem("whole", "a list")
    if isinstance(value, bool):
        raise _FieldProblem("whole", "a yes/no value")
    if value is None:
        return Markup("")
    return _braces(escape(str(value)))


def _braces(text: Markup) -> Markup:
    """Braces as character references, so docxtpl's own markers in a value stay as typed."""
    return text.replace("{", _OPEN_BRACE).replace("}", _CLOSE_BRACE)


class LetterEnvironment(SandboxedEnvironment):
    """The sandbox, with limits on ``*`` and ``**`` so a template cannot fill the memory.

    It also keeps the last few compiled templates, so a batch compiles each part of a
    template once instead of once per letter.
    """

    intercepted_binops = frozenset({"*", "**"})
    cache_limit = 32
    template_class = BoundedTemplate

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: dict[str, Any] = {}
        self.budget = Budget()  # the bounds of one letter (``bounds``), started per letter
        self.globals["range"] = self.budget.range
        self.filters[LOOP_FILTER] = self.budget.loop

    def _generate(self, source: Any, name: Any, filename: Any, defer_init: bool = False) -> Any:
        if isinstance(source, nodes.Template):
            count_loops(source)
        return super()._generate(source, name, filename, defer_init=defer_init)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.budget.step()
        return super().call(__context, __obj, *args, **kwargs)

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            compiled = super().from_string(source)
            if len(self._compiled) >= self.cache_limit:
                self._compiled.clear()
            self._compiled[source] = compiled
        return compiled

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # The logo is printed whole; nothing inside it (the document it belongs to) is a field.
        if isinstance(obj, InlineImage | Logo):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(right, int | float) and abs(right) > 100:
                raise SecurityError("the power is too large")
        elif operator == "*":
            for seq, count in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | list | tuple)
                    and isinstance(count, int)
                    and len(seq) * count > MAX_REPEAT
                ):
                    raise SecurityError("the repeated text is too long")
        return super().call_binop(context, operator, left, right)


def make_environment() -> LetterEnvironment:
    env = LetterEnvironment(autoescape=True, undefined=FieldUndefined, finalize=_finalize)
    # '|safe' would let a value into the document's XML unescaped.
    env.filters.pop("safe", None)
    return env


# -- turning Jinja's exceptions into plain messages ---------------------------------------------


def _root(field: str) -> str:
    return re.split(r"[.\[]", field, maxsplit=1)[0]


def _unknown(template: str, field: str) -> UnknownFieldError:
    return UnknownFieldError(
        f"The template '{template}' uses the field '{shown(field)}', which PLO Tracker does not "
        f"know. Check its spelling. {FIELD_LIST_HINT}",
        field=field,
        template=template,
    )


def _context_text(error: Exception) -> str:
    lines = [" ".join(line.split()) for line in getattr(error, "docx_context", None) or ()]
    text = " ".join(line for line in lines if line)
    return text[:120]


def _syntax(template: str, error: TemplateSyntaxError, near: str = "") -> TemplateSyntaxProblem:
    where = f' Near: "{near}".' if near else ""
    return TemplateSyntaxProblem(
        f"The template '{template}' has a broken {{{{ }}}} or {{% %}} tag: {error.message}.{where}"
        " Fix the tag in Word and try again.",
        template=template,
    )


def _translate(template: str, error: BaseException) -> NoReturn:
    if isinstance(error, _FieldProblem):
        if error.kind == "missing":
            root = _root(error.field)
            raise MissingValueError(
                f"The template '{template}' prints '{shown(error.field)}', but this letter has no "
                f"value for it ({error.reason}). In the template, put it inside "
                f"{{% if {root} %}} ... {{% endif %}}, or add the information to the case.",
                field=error.field,
                template=template,
            ) from None
        if error.kind == "whole":
            raise TemplateError(
                f"The template '{template}' prints {error.field} directly. Print its parts "
                "instead (for example meeting.date), loop over a list with {%p for ... %}, "
                "and use yes/no fields in {% if %}.",
                template=template,
            ) from None
        raise _unknown(template, error.field) from None
    if isinstance(error, RenderLimit | RecursionError):
        why = str(error) if isinstance(error, RenderLimit) else "a macro or loop calls itself"
        raise UnsafeTemplateError(
            f"The template '{template}' was stopped: {why}. A letter template may not do "
            "that much work; check its loops.",
            template=template,
        ) from None
    if isinstance(error, SecurityError | OverflowError):
        raise UnsafeTemplateError(
            f"The template '{template}' tries to do something a letter template may not "
            f"({error}). Templates may only print the letter fields, so it was refused.",
            template=template,
        ) from None
    if isinstance(error, TemplateSyntaxError):
        raise _syntax(template, error, _context_text(error)) from None
    if isinstance(error, UndefinedError):
        raise TemplateError(
            f"The template '{template}' uses a value that does not exist ({error}). "
            f"{FIELD_LIST_HINT}",
            template=template,
        ) from None
    if isinstance(error, JinjaTemplateError):
        raise TemplateError(
            f"The template '{template}' could not be used: {error}.", template=template
        ) from None
    if isinstance(error, etree.XMLSyntaxError):
        raise TemplateError(
            f"The template '{template}' has tags that break the Word document's structure. "
            "Put each {%p ... %} tag in a paragraph of its own and each {%tr ... %} tag in a "
            "table row of its own.",
            template=template,
        ) from None
    raise TemplateError(
        f"The template '{template}' has an expression that cannot be worked out "
        f"({type(error).__name__}). Check the tags around the fields it prints.",
        template=template,
    ) from None


_TEMPLATE_FAULTS = (
    JinjaTemplateError,
    OverflowError,
    etree.XMLSyntaxError,
    TypeError,
    ValueError,
    ArithmeticError,
    LookupError,
    RecursionError,
)


@contextmanager
def template_errors(template: str) -> Iterator[None]:
    try:
        yield
    except _TEMPLATE_FAULTS as error:
        _translate(template, error)


# -- rendering ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RenderedLetter:
    data: bytes
    text: str
    report: ReadabilityReport


def page_texts(document: DocumentObject) -> list[str]:
    """The text of every header and footer of a document (each section, every kind)."""
    texts: list[str] = []
    seen: list[object] = []  # parts' elements (kept alive, compared by identity)
    for section in document.sections:
        for part in (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
            section.even_page_header,
            section.even_page_footer,
        ):
            if part.is_linked_to_previous:
                continue
            element = part._element  # one part can serve several sections
            if any(element is other for other in seen):
                continue
            seen.append(element)
            texts.extend(p.text for p in part.paragraphs)
            texts.extend(c.text for t in part.tables for row in t.rows for c in row.cells)
    return texts


def render_letter(
    template_data: bytes,
    template_name: str,
    context: Mapping[str, Any],
    *,
    forbidden: Sequence[AddressPart] = (),
    terms: Sequence[JargonTerm] = DEFAULT_TERMS,
    environment: LetterEnvironment | None = None,
) -> RenderedLetter:
    """One letter as .docx bytes, its text and its plain-language report.

    ``forbidden`` are the parts of the addresses the reader must not see
    (``privacy.address_parts``): a field holding one is refused naming the word, the field
    and the item; then the finished letter (body, tables, headers, footers: the template's
    own text too) is searched as a whole.
    """
    if forbidden:
        found = leak_in_fields(context, forbidden)
        if found is not None:
            path, value, part = found
            raise ConfidentialAddressError(
                f"This letter would show {part.words} \u201c{part.shown}\u201d of a confidential "
                f"address (one its reader must not learn), in {field_words(path)} "
                f"(\u201c{snippet(value)}\u201d), so it was not made, drafts included. "
                "Change that item in the case (or the text typed for the letter)."
            )
    check_package(template_data, template_name)
    env = environment or make_environment()
    document = DocxTemplate(io.BytesIO(template_data))
    env.budget.start()
    values = dict(context)
    logo = values.get("council_logo")
    if isinstance(logo, Logo):
        values["council_logo"] = InlineImage(document, logo.stream(), height=LOGO_HEIGHT)
    with template_errors(template_name):
        document.render(values, jinja_env=env, autoescape=True)
        prepare_document(document.docx)  # the font for Arabic script; en-GB
        buffer = io.BytesIO()
        document.save(buffer)
    data = buffer.getvalue()
    finished = open_document(data, template_name)
    blocks = blocks_from_document(finished)
    text = "\n".join(block.text for block in blocks)
    if forbidden:
        leak = find_leak("\n".join([text, *page_texts(finished)]), forbidden)
        if leak is not None:
            raise ConfidentialAddressError(
                f"This letter would show {leak.words} \u201c{leak.shown}\u201d of a confidential "
                "address (one its reader must not learn), in the template's own text (no "
                "field holds it), so it was not made. Change the template."
            )
    return RenderedLetter(data=data, text=text, report=check_blocks(blocks, terms))


# -- checking a template -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TemplateCheck:
    """What checking a template found.  ``ok`` means it may be used."""

    name: str
    ok: bool
    fields_used: tuple[str, ...] = ()
    unknown_fields: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def raise_if_refused(self) -> None:
        if not self.ok:
            raise TemplateError(
                f"The template '{self.name}' was refused: " + " ".join(self.problems),
                template=self.name,
            )


def template_source(data: bytes, name: str) -> str:
    """The Jinja source docxtpl would render: body, headers, footers, footnotes, properties."""
    open_document(data, name)  # a plain refusal for anything that is not a .docx
    template = DocxTemplate(io.BytesIO(data))
    docx = template.get_docx()
    parts = [template.patch_xml(template.get_xml())]
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for relation in docx.part.rels.values():
            if relation.reltype == uri and relation.target_part.blob:
                xml = template.xml_to_string(parse_xml(relation.target_part.blob))
                parts.append(template.patch_xml(xml))
    for part in docx.part.package.parts:
        if part.content_type.endswith("wordprocessingml.footnotes+xml"):
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            parts.append(template.patch_xml(blob))
    props = docx.core_properties
    for prop in ("author", "comments", "identifier", "language", "subject", "title"):
        parts.append(getattr(props, prop) or "")
    source = "\n".join(parts)
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", source)


def _line_text(source: str, lineno: int | None) -> str:
    if not lineno:
        return ""
    lines = source.splitlines()
    if not 0 < lineno <= len(lines):
        return ""
    return " ".join(re.sub(r"<[^>]+>", "", lines[lineno - 1]).split())[:120]


def _attribute(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Getattr):
        return node.attr
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return node.arg.value if isinstance(node.arg.value, str) else None
    return None


def _visit(
    node: nodes.Node, scope: dict[str, str | None], uses: set[str], unsafe: list[str]
) -> None:
    """Collect 'field.attr' uses (innermost first), following loop variables to their list."""
    if isinstance(node, nodes.For):
        _visit(node.iter, scope, uses, unsafe)
        inner = dict(scope)
        if isinstance(node.target, nodes.Name):
            source = None
            if isinstance(node.iter, nodes.Name):
                name = node.iter.name
                source = scope.get(name, name)
            inner[node.target.name] = source
        for child in (*node.body, *([node.test] if node.test is not None else [])):
            _visit(child, inner, uses, unsafe)
        for child in node.else_:
            _visit(child, scope, uses, unsafe)
        return
    for child in node.iter_child_nodes():
        _visit(child, scope, uses, unsafe)
    attr = _attribute(node)
    if attr is not None:
        if attr.startswith("_"):
            unsafe.append(attr)
        elif isinstance(node.node, nodes.Name):  # type: ignore[attr-defined]
            name = node.node.name  # type: ignore[attr-defined]
            owner = scope.get(name, name)
            if owner in FIELDS_BY_NAME:
                uses.add(f"{owner}.{attr}")
    if isinstance(node, nodes.Filter) and node.name == "attr":
        for arg in node.args:
            if isinstance(arg, nodes.Const) and str(arg.value).startswith("_"):
                unsafe.append(str(arg.value))
    if isinstance(node, nodes.Include | nodes.Import | nodes.FromImport | nodes.Extends):
        unsafe.append(type(node).__name__.lower())


def _walk(tree: nodes.Template) -> tuple[set[str], list[str]]:
    """(attribute uses as 'field.attr', unsafe uses) found in a parsed template."""
    uses: set[str] = set()
    unsafe: list[str] = []
    _visit(tree, {}, uses, unsafe)
    return uses, unsafe


def check_template(data: bytes, name: str, spec: TemplateSpec) -> TemplateCheck:
    """Check a template before use: a .docx, valid tags, known fields, nothing unsafe,
    and a trial letter for a specimen case (with and without the optional parts)."""
    try:
        source = template_source(data, name)
    except TemplateError as error:
        return TemplateCheck(name, False, problems=(str(error),))
    env = make_environment()
    try:
        tree = env.parse(source)
        names = find_undeclared_variables(tree)  # compiles, so unknown filters show here
    except TemplateSyntaxError as error:
        problem = _syntax(name, error, _line_text(source, error.lineno))
        return TemplateCheck(name, False, problems=(str(problem),))
    uses, unsafe = _walk(tree)
    unknown = sorted(n for n in names if n not in FIELDS_BY_NAME)
    for use in sorted(uses):
        owner, attr = use.split(".", 1)
        field = FIELDS_BY_NAME[owner]
        if field.attributes:
            if attr not in field.attribute_names:
                unknown.append(use)
        elif not hasattr(list if field.kind in ("lines", "records") else str, attr):
            unknown.append(use)
    used = sorted({n for n in names if n in FIELDS_BY_NAME} | {u for u in uses if u not in unknown})
    problems: list[str] = []
    if unsafe:
        reached = ", ".join(f"'{shown(name)}'" for name in dict.fromkeys(unsafe))
        problems.append(
            f"It tries to reach {reached}, which a letter template may not use; templates may "
            "only use the letter fields."
        )
    if unknown:
        problems.append(
            "It uses fields PLO Tracker does not know: "
            + ", ".join(unknown)
            + ". "
            + FIELD_LIST_HINT
        )
    warnings: list[str] = []
    if not problems:
        for full in (True, False):
            try:
                render_letter(data, name, specimen_context(spec, full=full), environment=env)
            except TemplateError as error:
                if full:
                    problems.append(str(error))
                else:
                    warnings.append(
                        "For a case without a booked meeting, solicitor or hearing, letters "
                        f"from it would be refused: {error}"
                    )
                break
            except ConfidentialAddressError:  # the specimen has no confidential address
                break
    return TemplateCheck(
        name,
        ok=not problems,
        fields_used=tuple(used),
        unknown_fields=tuple(unknown),
        problems=tuple(problems),
        warnings=tuple(warnings),
    )
