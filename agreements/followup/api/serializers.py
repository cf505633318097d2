"""Follow-up in the API: plans with activities and indicators, indicators, reports (evidence as metadata with a
download link only for those who may open it), and the followed agreements with their derived status."""

from django.urls import reverse
from rest_framework import serializers

from ..choices import FollowupStatus, IndicatorKind
from ..models import Activity, ActivityProgress, Evidence, Indicator, IndicatorValue, Report, WorkPlan
from ..permissions import user_can_see_evidence


class ActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = ["id", "name", "responsible_name", "responsible_email", "starts_on", "ends_on", "budget"]


class IndicatorSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    plan = serializers.IntegerField(source="plan_id", read_only=True)
    registry_number = serializers.CharField(source="plan.entry.registry_number", read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "plan", "registry_number", "kind", "label", "name", "unit", "baseline", "target"]


class PlanIndicatorSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "kind", "label", "name", "unit", "baseline", "target"]


class WorkPlanSerializer(serializers.ModelSerializer):
    registry_number = serializers.CharField(source="entry.registry_number", read_only=True)
    title = serializers.CharField(source="entry.title", read_only=True)
    activities = ActivitySerializer(many=True, read_only=True)
    indicators = PlanIndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = WorkPlan
        fields = ["id", "registry_number", "title", "starts_on", "ends_on", "objectives", "activities", "indicators"]


class WorkPlanInputSerializer(serializers.Serializer):
    registry_number = serializers.CharField(max_length=40)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    objectives = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ActivityInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    responsible_name = serializers.CharField(max_length=150)
    responsible_email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    budget = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True, coerce_to_string=False
    )


class IndicatorInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IndicatorKind.choices)
    name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    unit = serializers.CharField(required=False, allow_blank=True, max_length=60)
    baseline = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True, coerce_to_string=False
    )
    target = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=False)


class ProgressInputSerializer(serializers.Serializer):
    activity = serializers.IntegerField()
    percent = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ValueInputSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, coerce_to_string=False)


class ReportInputSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    summary = serializers.CharField(max_length=2000)
    progress = serializers.ListField(child=ProgressInputSerializer(), required=False, default=list, max_length=200)
    values = serializers.ListField(child=ValueInputSerializer(), required=False, default=list, max_length=100)


class ActivityProgressSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityProgress
        fields = ["activity", "percent", "note"]


class IndicatorValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorValue
        fields = ["indicator", "value"]


class EvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "name", "sha256", "size", "uploaded_at", "download_url"]

    def get_download_url(self, evidence) -> str | None:
        request = self.context.get("request")
        entry = self.context["entries"].get(evidence.report_id) if "entries" in self.context else None
        if request is None or entry is None or not user_can_see_evidence(request.user, entry):
            return None
        return request.build_absolute_uri(reverse("followup:evidence_download", args=[evidence.pk]))


class ReportSerializer(serializers.ModelSerializer):
    registry_number = serializers.CharField(source="plan.entry.registry_number", read_only=True)
    activity_progress = ActivityProgressSerializer(many=True, read_only=True)
    indicator_values = IndicatorValueSerializer(many=True, read_only=True)
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "plan",
            "registry_number",
            "period_start",
            "period_end",
            "summary",
            "submitted_at",
            "activity_progress",
            "indicator_values",
            "evidence",
        ]

    def get_evidence(self, report) -> list[dict]:
        context = {**self.context, "entries": {report.pk: report.plan.entry}}
        return EvidenceSerializer(report.evidence.all(), many=True, context=context).data


class FollowupEntrySerializer(serializers.Serializer):
    registry_number = serializers.CharField()
    title = serializers.CharField()
    state = serializers.CharField(source="state_id")
    municipality = serializers.CharField(source="municipality_id", allow_null=True)
    status = serializers.ChoiceField(source="followup_status", choices=FollowupStatus.choices)
    covered_until = serializers.DateField(source="followup_covered_until", allow_null=True)
