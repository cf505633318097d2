"""Who may see and change an agreement's follow-up: one function per decision, asked by the buttons, the pages,
the API and the services alike.

- The **signing office** (the local office of the entry's institution) records and edits its plan and reports.
- The **DGCP, the CJA, analysts and administrators** (``followup.view_all_followup``) read every plan and report.
- **Evidence documents** are private: the signing office and the SRE's reviewers (``view_all_agreements``) only.
- Everyone, anonymous visitors included, sees an agreement's follow-up *status* (on track, late, report overdue,
  no plan): it is part of the public accountability the sources ask for. Nothing else is public.
"""

from __future__ import annotations

from agreements.permissions import person_of
from agreements.workflow import Actor


def _own_office(user, entry) -> bool:
    person = person_of(user)
    return (
        Actor.LOCAL in person.offices
        and "agreements.file_agreement" in person.perms
        and person.institution_id is not None
        and entry.institution_id == person.institution_id
    )


def user_can_view_all_followup(user) -> bool:
    return "followup.view_all_followup" in person_of(user).perms


def user_can_view_followup(user, entry) -> bool:
    """May ``user`` open the plan, indicators and reports of ``entry``?"""
    return user_can_view_all_followup(user) or _own_office(user, entry)


def user_can_edit_followup(user, entry) -> bool:
    """May ``user`` record the plan and file reports of ``entry``? Its signing office, while it is not terminated."""
    return _own_office(user, entry) and entry.terminated_on is None


def user_can_see_evidence(user, entry) -> bool:
    """Evidence documents: the signing office and the SRE's reviewers, never analysts or the public."""
    return _own_office(user, entry) or "agreements.view_all_agreements" in person_of(user).perms


def visible_entry_ids_filter(user) -> dict | None:
    """The lookup restricting follow-up rows to what ``user`` may read: ``{}`` for all, ``None`` for nothing."""
    if user_can_view_all_followup(user):
        return {}
    person = person_of(user)
    if Actor.LOCAL in person.offices and "agreements.file_agreement" in person.perms and person.institution_id:
        return {"institution_id": person.institution_id}
    return None
