"""Writes of the case workflow, one module per subject:

- ``filing``: create and correct the request, send it (steps 1-4);
- ``documents``: the filer's documents and the revised final text;
- ``walk``: the automatic steps (5, 6, 10, 12) and the task that walks them;
- ``dictamen``: the CJA's dictamen and the DGCP's approval or return (steps 7-8);
- ``signing``: answers to observations, the signed copy, the registration (steps 9-11);
- ``returns``: returns, not admissible, withdrawal;
- ``reviewers``: named reviewers and absences;
- ``transitions``: how every one of them moves a case (lock, check, record, notify).
"""

from .dictamen import (
    dictamen_approve,
    dictamen_issue,
    dictamen_return,
)
from .documents import (
    FILER_DOCUMENT_KINDS,
    document_remove,
    document_replace,
    document_upload,
    revision_submit,
)
from .filing import (
    agreement_create,
    agreement_submit,
    agreement_update,
    submission_refusals,
)
from .returns import (
    agreement_mark_not_admissible,
    agreement_return,
    agreement_withdraw,
    signed_copy_return,
)
from .reviewers import (
    office_members,
    reviewer_absence_record,
    reviewer_assign,
    reviewer_release,
    reviewer_take,
)
from .signing import (
    agreement_register,
    observation_answer,
    signed_copy_submit,
)
from .transitions import (
    NON_WORKING_DAYS_CACHE_KEY,
    non_working_days,
    today,
)
from .walk import (
    AUTOMATIC_HANDLERS,
    agreement_walk_automatic,
)

__all__ = [
    "AUTOMATIC_HANDLERS",
    "FILER_DOCUMENT_KINDS",
    "NON_WORKING_DAYS_CACHE_KEY",
    "agreement_create",
    "agreement_mark_not_admissible",
    "agreement_register",
    "agreement_return",
    "agreement_submit",
    "agreement_update",
    "agreement_walk_automatic",
    "agreement_withdraw",
    "dictamen_approve",
    "dictamen_issue",
    "dictamen_return",
    "document_remove",
    "document_replace",
    "document_upload",
    "non_working_days",
    "observation_answer",
    "office_members",
    "reviewer_absence_record",
    "reviewer_assign",
    "reviewer_release",
    "reviewer_take",
    "revision_submit",
    "signed_copy_return",
    "signed_copy_submit",
    "submission_refusals",
    "today",
]
