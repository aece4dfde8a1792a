"""Letter templates: the shipped ones and the council's own, checked before use.

A council's template folder holds its own .docx templates; one named like a shipped
template replaces it.  Every council template is checked each time it is used.  A
person who needs easy read (their letter preference, or their recorded needs) gets the
easy-read version of every kind of letter made for them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from db.audit import write_entry
from plo_tracker.errors import PloError, ValidationError
from plo_tracker.letters.docxfile import check_package, read_bytes
from plo_tracker.letters.errors import NotADocxError, TemplateError
from plo_tracker.letters.render import TemplateCheck, check_template
from plo_tracker.letters.templates import (
    EASY_READ_VERSIONS,
    SHIPPED,
    SHIPPED_BY_NAME,
    TemplateSpec,
    check_name,
    shipped_bytes,
    spec_for,
)
from plo_tracker.permissions import Permission
from plo_tracker.services.base import Service, log
from plo_tracker.services.letters.files import sha256_of, template_name_for_file
from plo_tracker.services.letters.settings import folder_setting
from plo_tracker.validation import LIMITS, check_arg, shown


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    """One template the app can use, and what checking it found."""

    name: str
    title: str
    source: str  # "shipped", "council" (the template folder) or "file"
    path: str | None
    replaces_shipped: bool
    check: TemplateCheck
    sent_event: str | None


@dataclass(frozen=True, slots=True)
class ChosenTemplate:
    """A template ready to use: its bytes and what kind of letter it is."""

    name: str
    title: str
    spec: TemplateSpec
    data: bytes
    source: str


def folder_problem(folder: Path | None) -> str | None:
    """Why a template folder that is set cannot be read, in a sentence (None if it can)."""
    if folder is None:
        return None
    try:
        if folder.is_dir():
            next(iter(folder.iterdir()), None)  # readable, not only there
            return None
        reason = "it is not there, or is not a folder"
    except OSError as error:
        reason = (error.strerror or "it cannot be read").lower()
    return (
        f"The council's letter templates folder {folder} cannot be reached ({reason}), so "
        "letters would be made from the templates that come with PLO Tracker, not the "
        "council's own. Check that the network drive is connected, or ask your IT team, "
        "before sending letters."
    )


class LetterTemplatesMixin(Service):
    """Listing, checking, adding and choosing templates."""

    def templates(self) -> list[TemplateInfo]:
        """Every template the app can use (shipped, then the council's), each checked."""
        with self.db.read() as session:
            folder = folder_setting(session)
        council = self._council_files(folder)
        found: list[TemplateInfo] = []
        for spec in SHIPPED:
            if spec.name in council:
                continue
            data = shipped_bytes(spec.name)
            found.append(
                TemplateInfo(
                    spec.name,
                    spec.title,
                    "shipped",
                    None,
                    False,
                    check_template(data, spec.name, spec),
                    spec.sent_event,
                )
            )
        for name, path in sorted(council.items()):
            found.append(self._council_info(name, path))
        return found

    def template_folder_problem(self) -> str | None:
        """Why the council's template folder (when one is set) cannot be used, or None.

        Letters are then made from the templates that come with the app, which the
        Letters screen must say rather than calling a letter ready as it is."""
        with self.db.read() as session:
            folder = folder_setting(session)
        return folder_problem(folder)

    @staticmethod
    def _council_files(folder: Path | None) -> dict[str, Path]:
        if folder is None or not folder.is_dir():
            return {}
        files: dict[str, Path] = {}
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            return {}
        for path in entries:
            if (
                path.suffix.lower() == ".docx"
                and path.is_file()
                and not path.name.startswith(("~$", "."))
            ):
                files[path.stem] = path
        return files

    def _council_info(self, name: str, path: Path) -> TemplateInfo:
        replaces = name in SHIPPED_BY_NAME
        try:
            check_name(name)
            spec = spec_for(name)
            check = check_template(read_bytes(path), name, spec)
        except PloError as error:
            spec = spec_for("council_letter")
            check = TemplateCheck(name, False, problems=(str(error),))
        return TemplateInfo(
            name, spec.title, "council", str(path), replaces, check, spec.sent_event
        )

    def check_template_file(self, path: Path) -> TemplateCheck:
        """Check any .docx as a template (no permission needed: nothing is changed)."""
        if not isinstance(path, Path):
            raise ValidationError("Template: must be a file path.")
        name = template_name_for_file(path)
        data = read_bytes(path)
        try:
            check_package(data, path.name)
        except NotADocxError as error:
            return TemplateCheck(name, False, problems=(str(error),))
        return check_template(data, name, spec_for(name))

    def add_template(
        self, path: Path, name: str | None = None, *, replace: bool = False
    ) -> TemplateInfo:
        """Check a council's template and copy it into the template folder.

        A template using fields PLO Tracker does not know is refused, and the message
        lists them.  ``name`` (default: the file's name) decides what kind of letter it
        is: a shipped template's name replaces that template.
        """
        self.actor.require(Permission.MANAGE_TEMPLATES)
        if not isinstance(path, Path):
            raise ValidationError("Template: must be a file path.")
        check_arg("Template name", name, str, type(None))
        name = check_name(name.strip() if name else template_name_for_file(path))
        with self.db.read() as session:
            folder = folder_setting(session)
        if folder is None:
            raise ValidationError(
                "Set the council's template folder first (plo-tracker templates --folder DIR); "
                "added templates are kept there."
            )
        if not folder.is_dir():
            raise PloError(f"The council's template folder {folder} does not exist any more.")
        data = read_bytes(path)
        check_package(data, path.name)
        spec = spec_for(name)
        check = check_template(data, name, spec)
        if not check.ok:
            unknown = (
                " Fields PLO Tracker does not know: " + ", ".join(check.unknown_fields) + "."
                if check.unknown_fields
                else ""
            )
            raise TemplateError(
                f"The template '{name}' was not added: " + " ".join(check.problems) + unknown,
                template=name,
            )
        target = folder / f"{name}.docx"
        if target.exists() and not replace:
            raise ValidationError(
                f"The template folder already has a template called '{name}'. Choose another "
                "name, or replace it (--replace)."
            )
        temp = folder / f".{name}.partial-{os.getpid()}"
        try:
            temp.write_bytes(data)
            os.replace(temp, target)
        except OSError as error:
            raise PloError(f"Cannot write to the template folder: {error.strerror}.") from None
        finally:
            temp.unlink(missing_ok=True)
        with self.db.write(self.actor.username) as session:
            write_entry(
                session,
                action="update" if replace else "create",
                entity="letter_template",
                entity_id=name,
                changes={"file": [None, target.name], "sha256": [None, sha256_of(data)]},
            )
        log.info("council letter template added")
        return TemplateInfo(
            name,
            spec.title,
            "council",
            str(target),
            name in SHIPPED_BY_NAME,
            check,
            spec.sent_event,
        )

    def _template(
        self, name: str | None, template_file: Path | None, folder: Path | None
    ) -> ChosenTemplate:
        """The template to use, checked first unless it is one the app ships."""
        if template_file is not None:
            if not isinstance(template_file, Path):
                raise ValidationError("Template file: must be a file path.")
            file_name = template_name_for_file(template_file)
            data = read_bytes(template_file)
            check_package(data, template_file.name)
            spec = spec_for(file_name)
            check_template(data, file_name, spec).raise_if_refused()
            title = f"{spec.title} ({template_file.name})"[: LIMITS["name"]]
            return ChosenTemplate(file_name, title, spec, data, "file")
        if not isinstance(name, str) or not name.strip():
            raise ValidationError("Template: give a template name or a template file.")
        name = name.strip()
        council = self._council_files(folder)
        if name in council:
            check_name(name)
            spec = spec_for(name)
            data = read_bytes(council[name])
            check_package(data, council[name].name)
            check_template(data, name, spec).raise_if_refused()
            return ChosenTemplate(name, spec.title, spec, data, "council")
        if name not in SHIPPED_BY_NAME:
            names = [s.name for s in SHIPPED] + sorted(
                n for n in council if n not in SHIPPED_BY_NAME
            )
            raise TemplateError(
                f"There is no template called '{shown(name)}'. The templates are: "
                + ", ".join(names)
                + ".",
                template=name,
            )
        spec = SHIPPED_BY_NAME[name]
        return ChosenTemplate(name, spec.title, spec, shipped_bytes(name), "shipped")

    def _for_reader(
        self, chosen: ChosenTemplate, easy_read: bool, folder: Path | None
    ) -> ChosenTemplate:
        """The template for one reader: for a person who needs easy read, the easy-read
        version of the kind of letter chosen (the council's, if its folder has one), for
        every kind of letter; a template given as a file is used as it is."""
        if not easy_read or chosen.source == "file" or chosen.spec.easy_read:
            return chosen
        version = EASY_READ_VERSIONS.get(chosen.spec.kind)
        return chosen if version is None else self._template(version, None, folder)
