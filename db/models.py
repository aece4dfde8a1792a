"""SQLAlchemy 2 typed models: the tables PLO Tracker keeps.

Every editable table carries a ``version`` column used for optimistic locking
(``version_id_col``): an UPDATE that finds another version changes no row and
SQLAlchemy raises ``StaleDataError``.  The services also compare the version the
user saw before they change anything.

``audit_log`` is append-only: migrations add triggers that refuse UPDATE and
DELETE on it, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    func,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Lengths shared with the validators in plo_tracker.validation.
REF_LEN = 64
NAME_LEN = 200
SHORT_LEN = 40
TEXT_LEN = 4000

BigIntId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {  # noqa: RUF012
        dt.datetime: DateTime(timezone=True),
        dt.date: Date(),
    }


class Versioned:
    """Mixin for optimistic locking."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)


class User(Versioned, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('social_worker', 'team_manager', 'legal_liaison', 'administrator')",
            name="role",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(128), unique=True)
    display_name: Mapped[str] = mapped_column(String(NAME_LEN))
    role: Mapped[str] = mapped_column(String(SHORT_LEN))
    team: Mapped[str | None] = mapped_column(String(NAME_LEN))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # False for a person the app found named on cases (a migrated database, an import into a
    # council's first database) whom an administrator has not yet confirmed.
    registered: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class Team(Versioned, Base):
    """A team of the council: cases and users belong to one by its name.

    ``registered`` is false for a team the app found named on cases or users (a migrated
    database, a council's first import) until an administrator confirms it; ``active`` is
    false once a team is retired (kept for its cases' history, offered for no new case).
    """

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LEN), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    registered: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class Case(Versioned, Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(REF_LEN), unique=True)
    team: Mapped[str | None] = mapped_column(String(NAME_LEN), index=True)
    social_worker: Mapped[str | None] = mapped_column(String(NAME_LEN))
    team_manager: Mapped[str | None] = mapped_column(String(NAME_LEN))
    legal_liaison: Mapped[str | None] = mapped_column(String(NAME_LEN))
    court_reference: Mapped[str | None] = mapped_column(String(REF_LEN))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Bumped by every write to the case or anything in it (db.revisions); the case list's
    # cached rows (CaseStatus) are valid only for the revision they were computed from.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    children: Mapped[list[Child]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Child.position"
    )
    parties: Mapped[list[Party]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Party.position"
    )
    events: Mapped[list[Event]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by=lambda: (Event.date, Event.id)
    )
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Assessment.position"
    )
    plan_actions: Mapped[list[PlanAction]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="PlanAction.position"
    )
    bookings: Mapped[list[Booking]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Booking.position"
    )
    concerns: Mapped[list[Concern]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Concern.position"
    )
    strengths: Mapped[list[Strength]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Strength.position"
    )
    keep_apart: Mapped[list[KeepApart]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="KeepApart.position"
    )

    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class Child(Versioned, Base):
    __tablename__ = "children"
    __table_args__ = (
        CheckConstraint(
            "(date_of_birth IS NULL) <> (expected_birth IS NULL)", name="born_or_unborn"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(NAME_LEN))
    date_of_birth: Mapped[dt.date | None]
    expected_birth: Mapped[dt.date | None]
    la_child_id: Mapped[str | None] = mapped_column(String(REF_LEN))
    # The exchange format's child id (version 3), by which records name the child.
    key: Mapped[str | None] = mapped_column(String(REF_LEN))

    case: Mapped[Case] = relationship(back_populates="children")
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class Party(Versioned, Base):
    """A parent or other person in the case, with their solicitor if any."""

    __tablename__ = "parties"
    __table_args__ = (UniqueConstraint("case_id", "key", name="uq_parties_case_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    key: Mapped[str] = mapped_column(String(REF_LEN))
    name: Mapped[str] = mapped_column(String(NAME_LEN))
    relationship_: Mapped[str] = mapped_column("relationship", String(NAME_LEN))
    parental_responsibility: Mapped[bool] = mapped_column(Boolean)
    address: Mapped[list[str] | None] = mapped_column(JSON)
    address_confidential: Mapped[bool | None] = mapped_column(Boolean)
    language: Mapped[str | None] = mapped_column(String(NAME_LEN))
    needs: Mapped[str | None] = mapped_column(Text)
    solicitor_name: Mapped[str | None] = mapped_column(String(NAME_LEN))
    solicitor_firm: Mapped[str | None] = mapped_column(String(NAME_LEN))
    solicitor_phone: Mapped[str | None] = mapped_column(String(SHORT_LEN))
    solicitor_email: Mapped[str | None] = mapped_column(String(NAME_LEN))
    # The person's tie to each child ([{child, relationship, parental_responsibility}], by
    # child key), or null: relationship and PR hold for every child (version 2 meaning).
    child_links: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)

    case: Mapped[Case] = relationship(back_populates="parties")
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class Event(Versioned, Base):
    """A dated event in the case's chronology (the exchange format's EVENT)."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_case_type_date", "case_id", "type", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(SHORT_LEN))
    date: Mapped[dt.date]
    party_id: Mapped[int | None] = mapped_column(
        ForeignKey("parties.id", ondelete="RESTRICT"), index=True
    )
    outcome: Mapped[str | None] = mapped_column(String(SHORT_LEN))
    fgdm_offered: Mapped[bool | None] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(Text)
    until: Mapped[dt.date | None]
    decided_by: Mapped[str | None] = mapped_column(String(NAME_LEN))
    rationale: Mapped[str | None] = mapped_column(Text)
    rule: Mapped[str | None] = mapped_column(String(SHORT_LEN))
    to_plan: Mapped[str | None] = mapped_column(String(SHORT_LEN))
    response: Mapped[str | None] = mapped_column(String(SHORT_LEN))
    # Version 3: who came (party keys) and whether a meeting went ahead; a short-notice
    # application; a hearing's kind, the council's plan and whether the court approved it;
    # the court's final order.
    attendees: Mapped[list[str] | None] = mapped_column(JSON)
    effective: Mapped[bool | None] = mapped_column(Boolean)
    short_notice: Mapped[bool | None] = mapped_column(Boolean)
    short_notice_reason: Mapped[str | None] = mapped_column(String(SHORT_LEN))
    kind: Mapped[str | None] = mapped_column(String(SHORT_LEN))
    la_plan: Mapped[str | None] = mapped_column(String(SHORT_LEN))
    plan_approved: Mapped[bool | None] = mapped_column(Boolean)
    order_made: Mapped[str | None] = mapped_column(String(SHORT_LEN))
    recorded_by: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="events")
    party: Mapped[Party | None] = relationship()
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class Assessment(Versioned, Base):
    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(NAME_LEN))
    commissioned: Mapped[dt.date]
    due: Mapped[dt.date]
    completed: Mapped[dt.date | None]
    # The people assessed (party keys; null: the household) and the children it concerns
    # (child keys; null: all).
    about: Mapped[list[str] | None] = mapped_column(JSON)
    children: Mapped[list[str] | None] = mapped_column(JSON)

    case: Mapped[Case] = relationship(back_populates="assessments")
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class PlanAction(Versioned, Base):
    __tablename__ = "plan_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    party_id: Mapped[int | None] = mapped_column(
        ForeignKey("parties.id", ondelete="RESTRICT"), index=True
    )
    action: Mapped[str] = mapped_column(Text)
    support: Mapped[str | None] = mapped_column(Text)
    due: Mapped[dt.date]
    completed: Mapped[dt.date | None]

    case: Mapped[Case] = relationship(back_populates="plan_actions")
    party: Mapped[Party | None] = relationship()
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class Booking(Versioned, Base):
    """A meeting booked for the future (the exchange format's ``scheduled``)."""

    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    type: Mapped[str] = mapped_column(String(SHORT_LEN))
    date: Mapped[dt.date]
    time: Mapped[dt.time | None] = mapped_column(Time)
    place: Mapped[str | None] = mapped_column(Text)
    # Who the meeting is for (party keys); null: everyone who may meet everyone else.
    attendees: Mapped[list[str] | None] = mapped_column(JSON)
    kind: Mapped[str | None] = mapped_column(String(SHORT_LEN))  # a hearing's kind

    case: Mapped[Case] = relationship(back_populates="bookings")
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class Concern(Versioned, Base):
    """What the council is worried about, in the family's words (exchange format v2).

    ``about`` holds the party keys it is about (as the exchange format does), or null for
    the whole household; renaming a party's key rewrites them (services.cases).
    """

    __tablename__ = "concerns"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    about: Mapped[list[str] | None] = mapped_column(JSON)
    children: Mapped[list[str] | None] = mapped_column(JSON)

    case: Mapped[Case] = relationship(back_populates="concerns")
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class Strength(Versioned, Base):
    """What is going well (exchange format v3): the same shape as a concern."""

    __tablename__ = "strengths"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    about: Mapped[list[str] | None] = mapped_column(JSON)
    children: Mapped[list[str] | None] = mapped_column(JSON)

    case: Mapped[Case] = relationship(back_populates="strengths")
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class KeepApart(Versioned, Base):
    """People kept from a protected person (exchange format v3 ``keep_apart``): party keys,
    like a concern's ``about``; renaming a party's key rewrites them (services.cases)."""

    __tablename__ = "keep_apart"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    protect: Mapped[str] = mapped_column(String(REF_LEN))
    kept_from: Mapped[list[str]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="keep_apart")
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class FlagReview(Base):
    """The app-side record of a manager reviewing one drift flag.

    The review itself is the ``management_oversight`` (or ``extension_agreed``)
    event it created, which is what the drift engine and the exchange format
    see.  This row adds which flag the manager had in front of them (rule, item,
    its due date) and which user account recorded it.
    """

    __tablename__ = "flag_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(SHORT_LEN))
    item: Mapped[str | None] = mapped_column(String(NAME_LEN))
    flag_due: Mapped[dt.date]
    decision: Mapped[str] = mapped_column(String(SHORT_LEN))
    reviewed_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ClosureDay(Versioned, Base):
    """A day the council is closed (besides bank holidays), e.g. 29 December."""

    __tablename__ = "closure_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(unique=True)
    description: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class Setting(Versioned, Base):
    """A council setting (timescale policy, census codes...), stored as JSON."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(128))
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class AuditEntry(Base):
    """One change: who, when, what, from and to.  Append-only."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_case_reference_at", "case_reference", "at"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    username: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(SHORT_LEN))
    entity: Mapped[str] = mapped_column(String(SHORT_LEN))
    entity_id: Mapped[str | None] = mapped_column(String(REF_LEN))
    case_reference: Mapped[str | None] = mapped_column(String(REF_LEN))
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class AuditStatement(Base):
    """PostgreSQL only: each statement changing case data in a transaction marked as the app's
    (``plo.audited``), written by db-setup's trigger (db/enforcement.py).  The app's own audit
    entries describe those changes; this says which login ran which kind of statement on
    which table, so a login that sets the mark by hand is still on record."""

    __tablename__ = "audit_statements"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    login: Mapped[str] = mapped_column(String(128))
    txid: Mapped[int] = mapped_column(BigInteger)
    entity: Mapped[str] = mapped_column(String(SHORT_LEN))
    action: Mapped[str] = mapped_column(String(SHORT_LEN))


AUDITED_MODELS: tuple[type[Base], ...] = (
    User,
    Case,
    Child,
    Party,
    Event,
    Assessment,
    PlanAction,
    Booking,
    Concern,
    Strength,
    KeepApart,
    Team,
    FlagReview,
    ClosureDay,
    Setting,
)


class Letter(Versioned, Base):
    """A letter generated for a case: which template, to whom, by whom, when, which file.

    ``recipient_key`` is the party's key as text, not a foreign key: importing a case
    replaces its parties, and the record of a letter must outlive that.  The file stays
    where the user saved it; ``sha256`` (and ``pdf_sha256``) identify its exact content.
    """

    __tablename__ = "letters"
    __table_args__ = (Index("ix_letters_case_generated", "case_id", "generated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    template: Mapped[str] = mapped_column(String(100))
    template_title: Mapped[str] = mapped_column(String(NAME_LEN))
    recipient_key: Mapped[str] = mapped_column(String(REF_LEN))
    recipient_name: Mapped[str] = mapped_column(String(NAME_LEN))
    generated_by: Mapped[str] = mapped_column(String(128))
    generated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    pdf_file_name: Mapped[str | None] = mapped_column(String(255))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    sent_on: Mapped[dt.date | None]
    sent_recorded_by: Mapped[str | None] = mapped_column(String(128))
    # A draft (made while the letter was not ready) is marked DRAFT on every page and can
    # never be recorded as sent.
    draft: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The date the letter bears (a letter cannot be recorded as sent before it).
    letter_date: Mapped[dt.date | None]

    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class LetterPreference(Versioned, Base):
    """How one person in a case wants their letters (app-side: the exchange format has no
    field for it): ``easy_read`` chooses the easy-read letter before proceedings for them.

    ``party_key`` is the party's key as text (like ``letters.recipient_key``), so the
    preference outlives an import that replaces the case's parties with the same people.
    """

    __tablename__ = "letter_preferences"
    __table_args__ = (UniqueConstraint("case_id", "party_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    party_key: Mapped[str] = mapped_column(String(REF_LEN))
    easy_read: Mapped[bool] = mapped_column(Boolean, default=False)

    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


AUDITED_MODELS = (*AUDITED_MODELS, Letter, LetterPreference)


class CaseStatus(Base):
    """The case list's row for a case, computed by the core and kept between starts.

    A cache, not a record: it is used only by the login that computed it (``computed_by``),
    only while ``revision`` equals the case's, the
    timescale policy and closure days are the ones it was computed with
    (``policy_stamp``), and, for an open case, it was computed today.
    """

    __tablename__ = "case_status"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    # The login that worked the row out ('' on SQLite): each login reads only its own rows,
    # so a row written by hand can mislead no one else (migration 0008, db/enforcement.py).
    computed_by: Mapped[str] = mapped_column(String(128), primary_key=True, server_default="")
    revision: Mapped[int] = mapped_column(Integer)
    policy_stamp: Mapped[str] = mapped_column(String(64))
    computed_for: Mapped[dt.date]
    children: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[str] = mapped_column(String(SHORT_LEN))
    weeks: Mapped[int | None] = mapped_column(Integer)
    next_due: Mapped[dt.date | None]
    rag: Mapped[str] = mapped_column(String(10))
    overdue: Mapped[int] = mapped_column(Integer, default=0)
    due_soon: Mapped[int] = mapped_column(Integer, default=0)
    is_open: Mapped[bool] = mapped_column(Boolean, default=False)
    # The rules of the case's flags, comma-separated ("letter_due,review_due").
    overdue_rules: Mapped[str] = mapped_column(Text, default="", server_default="")
    due_soon_rules: Mapped[str] = mapped_column(Text, default="", server_default="")


class CpPlanImport(Base):
    """One import of the child protection plans in a CIN census return (the latest is held):
    who imported which file, the return's reference date and its own date, and the counts."""

    __tablename__ = "cp_plan_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    reference_date: Mapped[dt.date]  # the return's census reference date (its collection year)
    file_datetime: Mapped[dt.datetime | None]  # the return's Header/Source/DateTime
    lea: Mapped[str | None] = mapped_column(String(SHORT_LEN))
    imported_by: Mapped[str] = mapped_column(String(128))
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    children: Mapped[int] = mapped_column(Integer)  # every <Child> in the return
    children_with_plans: Mapped[int] = mapped_column(Integer)
    plans: Mapped[int] = mapped_column(Integer)


class CpPlan(Base):
    """A child protection plan from the return: ids, birth date and plan dates, no names."""

    __tablename__ = "cp_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("cp_plan_imports.id", ondelete="CASCADE"), index=True
    )
    la_child_id: Mapped[str] = mapped_column(String(REF_LEN), index=True)
    date_of_birth: Mapped[dt.date | None]
    start: Mapped[dt.date]
    end: Mapped[dt.date | None]
    previous_plans: Mapped[int | None] = mapped_column(Integer)  # NumberOfPreviousCPP


class WatchReview(Base):
    """A manager's review of a watch-list item (``domain/watch.py``), with the rationale."""

    __tablename__ = "watch_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    la_child_id: Mapped[str] = mapped_column(String(REF_LEN), index=True)
    rule: Mapped[str] = mapped_column(String(SHORT_LEN))
    rationale: Mapped[str] = mapped_column(Text)
    on: Mapped[dt.date]
    until: Mapped[dt.date | None]
    reviewed_by: Mapped[str] = mapped_column(String(128))
    decided_by: Mapped[str] = mapped_column(String(NAME_LEN))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
