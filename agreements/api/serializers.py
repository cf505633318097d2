"""API shapes. Input serializers only check shape; the models (``clean()``, validators) and services hold the rules."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from cooperation.models import Partnership
from portal.core.limits import NOTE, OBSERVATIONS, max_length_of

from .. import validity
from ..choices import (
    AnnexType,
    CaseKind,
    CaseSituation,
    CounterpartType,
    DictamenOutcome,
    EntryIntoForce,
    Kind,
    ObservationAnswer,
    Status,
    Term,
    Theme,
)
from ..models import Agreement, Dictamen, Document, Observation, TimelineEvent
from ..selectors import agreement_steps
from ..validators import model_messages

CALENDAR_FIRST, CALENDAR_LAST = dt.date(1990, 1, 1), dt.date(2200, 12, 31)  # dates the calendar answers for


class AgreementInputSerializer(serializers.Serializer):
    """The request's shape; the rules and their messages are the model's (the service's ``full_clean``)."""

    title = serializers.CharField(
        max_length=max_length_of(Agreement, "title"), error_messages=model_messages(Agreement, "title")
    )
    kind = serializers.ChoiceField(choices=Kind.choices, error_messages=model_messages(Agreement, "kind"))
    counterpart_name = serializers.CharField(
        max_length=max_length_of(Agreement, "counterpart_name"),
        error_messages=model_messages(Agreement, "counterpart_name"),
    )
    counterpart_type = serializers.ChoiceField(
        choices=CounterpartType.choices, error_messages=model_messages(Agreement, "counterpart_type")
    )
    counterpart_country = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    counterpart_subdivision = serializers.CharField(max_length=6, required=False, allow_blank=True, default="")
    themes = serializers.ListField(
        child=serializers.ChoiceField(choices=Theme.choices), allow_empty=False, max_length=len(Theme.choices)
    )
    intended_signing_date = serializers.DateField(error_messages=model_messages(Agreement, "intended_signing_date"))
    intended_signing_place = serializers.CharField(
        max_length=max_length_of(Agreement, "intended_signing_place"),
        error_messages=model_messages(Agreement, "intended_signing_place"),
    )
    urgency_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=max_length_of(Agreement, "urgency_reason")
    )
    partnership = serializers.PrimaryKeyRelatedField(
        queryset=Partnership.objects.all(), required=False, allow_null=True, default=None
    )
    entry_into_force = serializers.ChoiceField(choices=EntryIntoForce.choices)
    entry_into_force_on = serializers.DateField(required=False, allow_null=True, default=None)
    term = serializers.ChoiceField(choices=Term.choices)
    term_years = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    term_months = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    automatic_renewal = serializers.BooleanField(required=False, default=False)
    case_kind = serializers.ChoiceField(choices=CaseKind.choices, required=False, default=CaseKind.ORIGINAL)
    amends = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy(
            "Número de registro del acuerdo que se modifica o prorroga (solo para esas solicitudes)."
        ),
    )


class DocumentInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["request_letter", "final_text", "annex", "signed_copy"])
    annex_type = serializers.ChoiceField(choices=AnnexType.choices, required=False, allow_blank=True, default="")
    file = serializers.FileField(allow_empty_file=True)


class ObservationInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=max_length_of(Observation, "text"))
    clause = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=max_length_of(Observation, "clause")
    )

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = {"text": data}
        return super().to_internal_value(data)


class DictamenInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DictamenOutcome.choices)
    summary = serializers.CharField(max_length=max_length_of(Dictamen, "summary"))
    observations = serializers.ListField(
        child=ObservationInputSerializer(), required=False, default=list, max_length=OBSERVATIONS
    )


class CoverNoteSerializer(serializers.Serializer):
    cover_note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=max_length_of(Dictamen, "cover_note")
    )


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=max_length_of(Dictamen, "return_comment"))


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=NOTE)


class OptionalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE)


class ObservationAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=[ObservationAnswer.ADDRESSED, ObservationAnswer.NOT_ADDRESSED])
    reply = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=max_length_of(Observation, "reply")
    )


class SignatureSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    signed_on = serializers.DateField()
    signed_place = serializers.CharField(max_length=200)
    entry_into_force_on = serializers.DateField(required=False, allow_null=True, default=None)
    low_match_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=max_length_of(Agreement, "signed_text_note"),
        help_text="Required when the signed text matches the dictaminated text below the threshold (60 %).",
    )


class RevisionSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)


class ReplaceDocumentSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)


class RegistrationSerializer(serializers.Serializer):
    registry_number = serializers.CharField(max_length=40)
    registered_on = serializers.DateField()
    recommendations_incorporated = serializers.BooleanField()


class DeadlineQuerySerializer(serializers.Serializer):
    signing_date = serializers.DateField()

    def validate_signing_date(self, value):
        # Counting business days back from year 1 ran off the calendar (OverflowError, a 500).
        if not CALENDAR_FIRST <= value <= CALENDAR_LAST:
            raise serializers.ValidationError(
                _("Indique una fecha entre %(first)s y %(last)s.")
                % {"first": CALENDAR_FIRST.isoformat(), "last": CALENDAR_LAST.isoformat()}
            )
        return value


# --- output ------------------------------------------------------------------


class AgreementListSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.name")
    themes = serializers.SerializerMethodField()
    # As the caller reads them: the local office sees a case whose dictamen awaits the DGCP as still in review.
    status = serializers.ChoiceField(choices=Status.choices, source="reader_status", read_only=True)
    status_label = serializers.CharField(source="reader_status_label", read_only=True)
    current_step = serializers.IntegerField(source="reader_step", allow_null=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "folio",
            "title",
            "kind",
            "status",
            "status_label",
            "current_step",
            "institution",
            "counterpart_name",
            "counterpart_type",
            "counterpart_country",
            "counterpart_subdivision",
            "themes",
            "intended_signing_date",
            "cja_deadline",
            "is_late",
            "created_at",
        ]

    def get_themes(self, obj) -> list[str]:
        return sorted(t.key for t in obj.themes.all())


class DocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "annex_type",
            "version",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "download_url",
            "signature_status",
            "signature_signer",
            "signature_rfc",
            "signature_signed_at",
        ]

    def get_download_url(self, obj) -> str:
        return reverse("agreements:document_download", args=[obj.agreement_id, obj.pk])


class ObservationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Observation
        fields = ["number", "text", "clause", "answer", "reply", "answered_at"]


class DictamenSerializer(serializers.ModelSerializer):
    observations = ObservationSerializer(many=True)
    final_text_sha256 = serializers.CharField(source="final_text.sha256")
    final_text_version = serializers.IntegerField(source="final_text.version")

    class Meta:
        model = Dictamen
        fields = [
            "id",
            "outcome",
            "summary",
            "status",
            "issued_at",
            "reviewed_at",
            "cover_note",
            "return_comment",
            "final_text_version",
            "final_text_sha256",
            "observations",
        ]


class TimelineEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    detail = serializers.CharField(
        read_only=True, help_text="The event's facts as a sentence in the reader's language."
    )

    class Meta:
        model = TimelineEvent
        fields = [
            "created_at",
            "actor",
            "actor_role",
            "action",
            "completed_step",
            "from_step",
            "to_step",
            "from_status",
            "to_status",
            "decision",
            "params",
            "detail",
            "comment",
        ]

    def get_actor(self, obj) -> str:
        return obj.actor.email if obj.actor else "sistema"


class StepSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    state = serializers.ChoiceField(choices=["done", "current", "pending", "skipped"])
    completed_at = serializers.DateTimeField(allow_null=True)
    actor = serializers.CharField(allow_null=True)


class AgreementDetailSerializer(AgreementListSerializer):
    steps = serializers.SerializerMethodField()
    documents = DocumentSerializer(many=True)
    dictamenes = DictamenSerializer(many=True)
    timeline = TimelineEventSerializer(many=True)
    available_actions = serializers.SerializerMethodField()

    class Meta(AgreementListSerializer.Meta):
        fields = AgreementListSerializer.Meta.fields + [
            "intended_signing_place",
            "urgency_reason",
            "partnership",
            "submitted_at",
            "signed_on",
            "signed_place",
            "signed_text_match",
            "signed_text_note",
            "registry_number",
            "registered_on",
            "recommendations_incorporated",
            "entry_into_force",
            "entry_into_force_on",
            "term",
            "term_years",
            "term_months",
            "automatic_renewal",
            "validity_ends_on",
            "closed_at",
            "dictamen_outcome",
            "steps",
            "documents",
            "dictamenes",
            "timeline",
            "available_actions",
            "cja_reviewer",
            "dgcp_reviewer",
            "reviewer_moves",
        ]
        extra_kwargs = {"cja_reviewer": {"read_only": True}, "dgcp_reviewer": {"read_only": True}}

    reviewer_moves = serializers.SerializerMethodField(
        help_text="reviewer_take / reviewer_release / reviewer_assign the caller may do now."
    )
    validity_ends_on = serializers.SerializerMethodField()

    def get_validity_ends_on(self, obj) -> dt.date | None:
        """The last day in force, once the date of entry into force is known (signed copy, or a stated date)."""
        return validity.end_date(
            starts_on=obj.entry_into_force_on, term=obj.term, years=obj.term_years, months=obj.term_months
        )

    def get_steps(self, obj) -> list[dict]:
        return StepSerializer([s.__dict__ for s in agreement_steps(obj)], many=True).data

    # What the caller may do now comes in the context, decided by ``permissions`` (``api.views``): the
    # permissions read the action table, which holds this module's input serializers.
    def get_available_actions(self, obj) -> list[str]:
        return sorted(a.value for a in self.context["available_actions"])

    def get_reviewer_moves(self, obj) -> list[str]:
        return sorted(m.value for m in self.context["reviewer_moves"])


class ReviewerAssignInputSerializer(serializers.Serializer):
    reviewer = serializers.IntegerField(min_value=1, help_text="The id of a reviewer of the office holding the case.")


class CaseLookupSerializer(serializers.Serializer):
    """The public status of a sent case by its folio: nothing else about it (no title, parties or documents)."""

    folio = serializers.CharField(read_only=True)
    step = serializers.IntegerField(read_only=True, help_text="The current step of the 12 (the last one, once ended).")
    step_name = serializers.CharField(read_only=True, help_text="In the reader's language (Accept-Language).")
    reached_on = serializers.DateField(read_only=True, help_text="The date the case reached that step or ended.")
    situation = serializers.ChoiceField(choices=CaseSituation.choices, read_only=True)
    situation_label = serializers.SerializerMethodField()

    def get_situation_label(self, obj) -> str:
        return str(obj.situation.label)


class InboxCaseSerializer(serializers.ModelSerializer):
    """A case as the review inboxes list it, with its named reviewers (ids; null when unassigned)."""

    institution = serializers.CharField(source="institution.name")
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "folio",
            "title",
            "institution",
            "status",
            "status_label",
            "current_step",
            "cja_deadline",
            "is_late",
            "intended_signing_date",
            "cja_reviewer",
            "dgcp_reviewer",
        ]
        read_only_fields = fields


class DgcpInboxSerializer(serializers.ModelSerializer):
    """A dictamen waiting for the DGCP (step 8) and its case."""

    agreement = InboxCaseSerializer(read_only=True)
    observation_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Dictamen
        fields = ["id", "agreement", "outcome", "issued_at", "observation_count"]
        read_only_fields = fields
