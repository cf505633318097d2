"""Who sees what, when: one rule per artefact of a case, applied by the selectors for the pages and the API alike.

The DGCP is the local offices' only channel to the SRE (see the domain's table "who is told what, and who sees
what"):

- **case**: reviewers (DGCP, CJA) see every case that has been sent, never a draft; a local office sees its own
  cases (``AgreementQuerySet.visible_to``). While a dictamen waits for the DGCP's approval the local office reads
  its case as still under legal review (step 7), not «Dictamen emitido».
- **dictamen, its observations and the reply letter**: internal to the SRE until the DGCP approves their delivery
  (step 8); the local office then sees the delivered ones only, never a returned or voided one.
- **internal comments**: what the DGCP and the CJA say to each other (a dictamen returned to the CJA, its comment)
  never reaches the local office, on the page, in the API or on the timeline.
- **documents**: the filer's own documents always; a reply letter only with its delivered dictamen.
- **timeline**: the local office sees its own moves and the SRE's decisions that concern it; the issuing of a
  dictamen appears only once that dictamen was delivered, a return to the CJA never.

Everything here is a ``Q`` or a pure function: the selectors put them in their prefetches, so every page, API
answer and count built on the selectors shows the same thing.
"""

from __future__ import annotations

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When

from .choices import DictamenStatus, DocumentKind, Status
from .models import Dictamen, TimelineEvent
from .workflow import Action

# The status and step the local office reads while its case is inside the SRE.
FILER_STATUS = {Status.DICTAMEN_ISSUED: Status.IN_REVIEW}
FILER_STEP = {Status.DICTAMEN_ISSUED: 7}

# Timeline events between the DGCP and the CJA only.
INTERNAL_EVENTS = frozenset({Action.RETURN_DICTAMEN})


def sees_internal(user) -> bool:
    """Reviewers of the SRE (DGCP, CJA) see the internal artefacts of every sent case."""
    return bool(user.is_authenticated and user.has_perm("agreements.view_all_agreements"))


def case_visible(user, agreement) -> bool:
    """``AgreementQuerySet.visible_to`` for one loaded case, without a query."""
    if not user.is_authenticated:
        return False
    own = user.has_perm("agreements.file_agreement") and user.institution_id == agreement.institution_id
    return own or (sees_internal(user) and agreement.status != Status.DRAFT)


def reader_view(queryset, user):
    """Annotate ``shown_status`` and ``shown_step``: what ``user`` reads as the case's status and step."""
    if sees_internal(user):
        return queryset
    return queryset.annotate(
        shown_status=Case(
            *(When(status=real, then=Value(str(shown))) for real, shown in FILER_STATUS.items()), default=F("status")
        ),
        shown_step=Case(
            *(When(status=real, then=Value(step)) for real, step in FILER_STEP.items()),
            default=F("current_step"),
            output_field=IntegerField(),
        ),
    )


def dictamen_q(user, prefix: str = "") -> Q:
    """Dictámenes ``user`` may read: reviewers all, the local office the delivered ones."""
    if sees_internal(user):
        return Q()
    return Q(**{f"{prefix}status": DictamenStatus.APPROVED})


def document_q(user) -> Q:
    """Documents ``user`` may read: a reply letter only with its delivered dictamen."""
    if sees_internal(user):
        return Q()
    delivered = Dictamen.objects.filter(reply_letter_id=OuterRef("pk"), status=DictamenStatus.APPROVED)
    return ~Q(kind=DocumentKind.REPLY_LETTER) | Exists(delivered)


def timeline_q(user) -> Q:
    """Timeline events ``user`` may read.

    For the local office: never an internal exchange; the issuing of a dictamen only when an approval
    (delivery) follows it with no return to the CJA in between.
    """
    if sees_internal(user):
        return Q()
    returned_between = TimelineEvent.objects.filter(
        agreement_id=OuterRef(OuterRef("agreement_id")),
        action=Action.RETURN_DICTAMEN,
        id__gt=OuterRef(OuterRef("id")),
        id__lt=OuterRef("id"),
    )
    delivered_after = TimelineEvent.objects.filter(
        agreement_id=OuterRef("agreement_id"), action=Action.APPROVE_DICTAMEN, id__gt=OuterRef("id")
    ).filter(~Exists(returned_between))
    return ~Q(action__in=[str(a) for a in INTERNAL_EVENTS]) & (
        ~Q(action=Action.ISSUE_DICTAMEN) | Exists(delivered_after)
    )
