"""Hand-made cases whose report figures are worked out by hand in test_timeliness.py."""

from __future__ import annotations

from dataclasses import replace

from plo_tracker.domain.model import Child
from tests.builders import D, case, ev, father, mother

# A: Team A, Sam Green. Letter and first meeting on time; one review on time, one late;
# FGC held; stepped down to a child protection plan after 112 days (16.0 weeks).
A = case(
    ev("legal_planning_meeting", "2024-01-08", outcome="pre_proceedings"),
    ev("letter_before_proceedings", "2024-01-10", party="mother"),  # due 2024-01-15
    ev("letter_before_proceedings", "2024-01-10", party="father"),
    ev("fgc_referral", "2024-01-15"),
    ev("pre_proceedings_meeting", "2024-01-22"),  # due 2024-01-24
    ev("fgc_held", "2024-02-10"),
    ev("review_meeting", "2024-02-26"),  # 35 days after the meeting: on time
    ev("review_meeting", "2024-04-15"),  # 49 days after the review: late
    ev("stepped_down", "2024-04-29", to="child_protection"),
    reference="PLO-A",
    parties=(mother(), father()),
)

# B: Team A, Sam Green. Letter late (due 2024-04-03 over Easter, sent 04-04); no first
# meeting by 04-18, proceedings issued 05-08 (missed); FGC referred only; 44 days (6.3 weeks).
B = case(
    ev("legal_planning_meeting", "2024-03-25", outcome="pre_proceedings"),
    ev("letter_before_proceedings", "2024-04-04", party="mother"),
    ev("fgc_referral", "2024-04-10"),
    ev("decision_to_issue", "2024-05-01", decided_by="Ann Wright"),
    ev("proceedings_issued", "2024-05-08"),
    reference="PLO-B",
)

# C: Team B, Ali Khan. Immediate issue: no letter or meeting expected; 4 days (0.6 weeks).
C = case(
    ev("legal_planning_meeting", "2024-02-05", outcome="issue_proceedings"),
    ev("proceedings_issued", "2024-02-09"),
    ev("letter_of_issue", "2024-02-09", party="mother"),
    reference="PLO-C",
    team="Team B",
)

# D: Team B, Ali Khan. Letter on its due date (2024-05-09, after the May bank holiday); first
# meeting a day late (due 05-23); next review not yet due by 06-30; FGC declined; one
# extension; open: 60 days (8.6 weeks) to 2024-06-30.
D_ = case(
    ev("legal_planning_meeting", "2024-05-01", outcome="pre_proceedings"),
    ev("letter_before_proceedings", "2024-05-09", party="mother"),
    ev("fgc_declined", "2024-05-13", reason="The family said no"),
    ev("pre_proceedings_meeting", "2024-05-24"),
    ev(
        "extension_agreed",
        "2024-06-20",
        until="2024-09-30",
        decided_by="Ann Wright",
        rationale="Assessment running late",
    ),
    reference="PLO-D",
    team="Team B",
)

# E: no team, no social worker. Started 2024-06-26, letter due 07-03: not yet due on 06-30.
E = case(
    ev("legal_planning_meeting", "2024-06-26", outcome="pre_proceedings"),
    reference="PLO-E",
    team=None,
    children=(Child(name="Baby Wood", expected_birth=D("2024-10-01")),),
)

# I: Team A, Jo Bell. No letter by its due date 2024-02-08; stepped down (no further action)
# 2024-02-20: letter missed; 19 days (2.7 weeks).
I_ = case(
    ev("legal_planning_meeting", "2024-02-01", outcome="pre_proceedings"),
    ev("stepped_down", "2024-02-20", to="no_further_action"),
    reference="PLO-I",
)

# J: Team B, Ali Khan. Letter (no FGDM offer) and first meeting on time; no review since
# 2024-01-30 (due 03-12: missed); two extensions; no FGC; open 167 days (23.9 weeks).
J = case(
    ev("legal_planning_meeting", "2024-01-15", outcome="pre_proceedings"),
    ev("letter_before_proceedings", "2024-01-16", fgdm_offered=False),
    ev("pre_proceedings_meeting", "2024-01-30"),
    ev("extension_agreed", "2024-05-01", until="2024-06-01", decided_by="Ann", rationale="x"),
    ev("extension_agreed", "2024-06-01", until="2024-08-01", decided_by="Ann", rationale="y"),
    reference="PLO-J",
    team="Team B",
)

# Not in the report: started before the range, never started, started after the range.
F = case(ev("legal_planning_meeting", "2023-12-01", outcome="pre_proceedings"), reference="PLO-F")
G = case(ev("legal_planning_meeting", "2024-03-01", outcome="no_legal_action"), reference="PLO-G")
H = case(ev("legal_planning_meeting", "2024-07-10", outcome="pre_proceedings"), reference="PLO-H")


A = replace(A, social_worker="Sam Green")
B = replace(B, social_worker="Sam Green")
C = replace(C, social_worker="Ali Khan")
D_ = replace(D_, social_worker="Ali Khan")
I_ = replace(I_, social_worker="Jo Bell")
J = replace(J, social_worker="Ali Khan")

ALL = (A, B, C, D_, E, I_, J, F, G, H)
