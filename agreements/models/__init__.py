"""The case workflow's models, one module per subject:

- ``case``: the themes vocabulary and the case (``Agreement``) with its queryset;
- ``documents``: the case's files and their upload path;
- ``review``: the CJA's dictamen and its observations;
- ``timeline``: the append-only record of every step and decision;
- ``workdays``: reviewers' absences and non-working days.

Every name is re-exported here: ``from agreements.models import X`` and the migrations' dotted paths
(``agreements.models.document_upload_path``) resolve as before. The imports below run in the order the models were declared (their registration order).
"""

from .case import Agreement, AgreementQuerySet, Theme
from .documents import Document, document_upload_path
from .review import Dictamen, Observation
from .timeline import TimelineEvent
from .workdays import NonWorkingDay, ReviewerAbsence

__all__ = [
    "Agreement",
    "AgreementQuerySet",
    "Dictamen",
    "Document",
    "NonWorkingDay",
    "Observation",
    "ReviewerAbsence",
    "Theme",
    "TimelineEvent",
    "document_upload_path",
]
