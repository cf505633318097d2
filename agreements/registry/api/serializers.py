"""API shapes of the public registry."""

from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from agreements.choices import STAT_DIMENSIONS, EntryStatus

from ..models import ExportJob, RegistryEntry
from ..selectors import PROJECTION_RATE, PROJECTION_YEARS, amendments_in_order, projection_base_year

_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted in a path


def _entry_field(field_class, name: str, **kwargs):
    """A read-only field labelled like the model's."""
    model_field = RegistryEntry._meta.get_field(name)
    if model_field.choices and field_class is serializers.ChoiceField:
        kwargs.setdefault("choices", model_field.choices)
    return field_class(label=capfirst(model_field.verbose_name), read_only=True, **kwargs)


# Declared field by field rather than as a ModelSerializer, which rebuilds its fields from the model for every
# response (the registry list's largest cost after its query).
class RegistryEntrySerializer(serializers.Serializer):
    """An agreement in the public registry (public data only)."""

    registry_number = _entry_field(serializers.CharField, "registry_number")
    title = _entry_field(serializers.CharField, "title")
    kind = _entry_field(serializers.ChoiceField, "kind")
    level = _entry_field(serializers.ChoiceField, "level")
    state_code = serializers.CharField(source="state_id", read_only=True)
    state = serializers.CharField(source="state.short_name", read_only=True)
    municipality_code = serializers.CharField(source="municipality_id", allow_null=True, read_only=True)
    municipality = serializers.SerializerMethodField()
    signing_office = _entry_field(serializers.CharField, "signing_office")
    counterpart_name = _entry_field(serializers.CharField, "counterpart_name")
    counterpart_type = _entry_field(serializers.ChoiceField, "counterpart_type")
    counterpart_country = _entry_field(serializers.CharField, "counterpart_country")
    counterpart_subdivision = _entry_field(serializers.CharField, "counterpart_subdivision")
    region = _entry_field(serializers.ChoiceField, "region")
    themes = serializers.SerializerMethodField()
    signed_on = _entry_field(serializers.DateField, "signed_on")
    signed_place = _entry_field(serializers.CharField, "signed_place")
    registered_on = _entry_field(serializers.DateField, "registered_on")
    expires_on = _entry_field(serializers.DateField, "expires_on", allow_null=True)
    terminated_on = _entry_field(serializers.DateField, "terminated_on", allow_null=True)
    status = serializers.ChoiceField(
        choices=EntryStatus.choices,
        read_only=True,
        help_text=gettext_lazy("in_force, expired o terminated, a la fecha de hoy."),
    )
    automatic_renewal = _entry_field(serializers.BooleanField, "automatic_renewal")
    source = _entry_field(serializers.ChoiceField, "source")
    amendments = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_amendments(self, obj) -> list[dict]:
        """Each modification or extension inscribed against the entry: kind, own number, dates, new end."""
        return amendments_in_order(obj)

    def get_municipality(self, obj) -> str | None:
        return obj.municipality.name if obj.municipality_id else None

    def get_themes(self, obj) -> list[str]:
        return obj.theme_keys

    def get_url(self, obj) -> str:
        # Reversed once per response (the context is the root serializer's); each entry appends its number.
        prefix = self.context.get("registry_detail_prefix")
        if prefix is None:
            prefix = self.context["registry_detail_prefix"] = reverse("agreements:registry_detail", args=["0"])[:-2]
        return prefix + quote(obj.registry_number, safe=_URL_SAFE) + "/"


class RegistryEntryDetailSerializer(RegistryEntrySerializer):
    """One registry entry, with its constancia de inscripción when the portal issued one."""

    certificate_url = serializers.SerializerMethodField()
    certificate_sha256 = serializers.SerializerMethodField()

    def get_certificate_url(self, obj) -> str | None:
        if getattr(obj, "certificate", None) is None:
            return None
        return reverse("agreements:registry_certificate", args=[obj.registry_number])

    def get_certificate_sha256(self, obj) -> str | None:
        certificate = getattr(obj, "certificate", None)
        return certificate.sha256 if certificate is not None else None


class StatsQuerySerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=STAT_DIMENSIONS)


class ExportQuerySerializer(serializers.Serializer):
    file_format = serializers.ChoiceField(choices=["csv", "xlsx"], default="csv")


class ExportJobSerializer(serializers.ModelSerializer):
    """A registry export written in the background: follow ``status_url`` until ``download_url`` appears."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    status_url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "file_format",
            "status",
            "status_label",
            "total_rows",
            "processed_rows",
            "percent",
            "created_at",
            "finished_at",
            "expires_at",
            "status_url",
            "download_url",
        ]
        read_only_fields = fields

    def get_status_url(self, job) -> str:
        path = reverse("api:registry-export-job", kwargs={"job_id": job.pk})
        return self.context["request"].build_absolute_uri(path)

    def get_download_url(self, job) -> str | None:
        if job.status != ExportJob.Status.DONE:
            return None
        path = reverse("agreements:registry_export_file", kwargs={"pk": job.pk})
        return self.context["request"].build_absolute_uri(path)


class ProjectionQuerySerializer(serializers.Serializer):
    """The projection's parameters; what is not given takes the statistics page's values (``selectors``)."""

    base_year = serializers.IntegerField(
        min_value=1990,
        max_value=2100,
        default=projection_base_year,
        help_text=gettext_lazy("Si se omite, el año próximo."),
    )
    until = serializers.IntegerField(
        min_value=1990,
        max_value=2150,
        required=False,
        help_text=gettext_lazy("Si se omite, 25 años después del año base."),
    )
    rate = serializers.FloatField(min_value=-1.0, max_value=10.0, default=PROJECTION_RATE)

    def validate(self, attrs):
        attrs.setdefault("until", attrs["base_year"] + PROJECTION_YEARS)
        if attrs["until"] < attrs["base_year"]:
            raise serializers.ValidationError({"until": "El año final debe ser igual o posterior al año base."})
        if attrs["until"] - attrs["base_year"] > 100:
            raise serializers.ValidationError({"until": "La proyección abarca como máximo cien años."})
        return attrs
