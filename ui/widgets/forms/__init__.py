"""The forms that add and change the parts of a case (one module per kind of record).

``base`` has the shared frame (checking as the user types, the unsaved-changes
question, saving through the core's services); the others one form each.
"""

from ui.widgets.forms.base import (
    CaseRecordForm,
    RecordForm,
    Saver,
    may_record,
    party_options,
    refusal,
)
from ui.widgets.forms.booking import BookingForm
from ui.widgets.forms.case_details import CaseDetailsForm
from ui.widgets.forms.concerns import ConcernForm, StrengthForm
from ui.widgets.forms.events import EventForm
from ui.widgets.forms.keep_apart import KeepApartForm
from ui.widgets.forms.people import RELATIONSHIPS, ChildForm, PartyForm
from ui.widgets.forms.plan import ActionForm, AssessmentForm

__all__ = [
    "RELATIONSHIPS",
    "ActionForm",
    "AssessmentForm",
    "BookingForm",
    "CaseDetailsForm",
    "CaseRecordForm",
    "ChildForm",
    "ConcernForm",
    "EventForm",
    "KeepApartForm",
    "PartyForm",
    "RecordForm",
    "Saver",
    "StrengthForm",
    "may_record",
    "party_options",
    "refusal",
]
