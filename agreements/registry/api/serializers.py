"""API shapes of the public registry."""

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.urls import get_script_prefix, reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agreements.choices import STAT_DIMENSIONS, EntryStatus

from ..models import ExportJob, RegistryEntry
from ..selectors import PROJECTION_RATE, PROJECTION_YEARS, amendments_in_order, projection_base_year

_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted in a path


def _entry_field(field_class, name: str, **kwargs):
    """A read-only field labelled like the model's, reading the model field's value."""
    model_field = RegistryEntry._meta.get_field(name)
    if model_field.choices and field_class is serializers.ChoiceField:
        kwargs.setdefault("choices", model_field.choices)
    return field_class(label=capfirst(model_field.verbose_name), read_only=True, **kwargs)


@extend_schema_field(
    {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "kind": {"type": "string"},
                "registry_number": {"type": "string"},
                "signed_on": {"type": "string", "format": "date"},
                "registered_on": {"type": "string", "format": "date"},
                "expires_on": {"type": "string", "format": "date", "nullable": True},
            },
        },
    }
)
class AmendmentsField(serializers.Field):
    """An entry's modifications and extensions (``amendment_rows`` of ``selectors.with_amendments``), oldest first;
    ``[]`` without any. Its source is the whole row: DRF would give ``null`` for a ``None`` value without asking."""

    lookup = "amendment_rows"

    def to_representation(self, value) -> list[dict]:
        return amendments_in_order(value[self.lookup])


@extend_schema_field(OpenApiTypes.STR)
class RegistryUrlField(serializers.Field):
    """The entry's public page, from its number."""

    def to_representation(self, value) -> str:
        return _detail_prefix(get_script_prefix(), get_language()) + quote(value, safe=_URL_SAFE) + "/"


@functools.lru_cache(maxsize=16)
def _detail_prefix(script_prefix: str, language: str | None) -> str:
    """The entries' page path before the number, reversed once per script prefix and language (each entry appends
    its number)."""
    return reverse("agreements:registry_detail", args=["0"])[:-2]


# Declared field by field rather than as a ModelSerializer, which rebuilds its fields from the model for every
# response. It reads plain rows (``selectors.registry_rows(queryset, lookups())``), not model instances: every
# field's ``source`` is the ``values()`` lookup of its value.
class RegistryEntrySerializer(serializers.Serializer):
    """An agreement in the public registry (public data only)."""

    registry_number = _entry_field(serializers.CharField, "registry_number")
    title = _entry_field(serializers.CharField, "title")
    kind = _entry_field(serializers.ChoiceField, "kind")
    level = _entry_field(serializers.ChoiceField, "level")
    state_code = serializers.CharField(source="state_id", read_only=True)
    state = serializers.CharField(source="state__short_name", read_only=True)
    municipality_code = serializers.CharField(source="municipality_id", allow_null=True, read_only=True)
    municipality = serializers.CharField(source="municipality__name", allow_null=True, read_only=True)
    signing_office = _entry_field(serializers.CharField, "signing_office")
    counterpart_name = _entry_field(serializers.CharField, "counterpart_name")
    counterpart_type = _entry_field(serializers.ChoiceField, "counterpart_type")
    counterpart_country = _entry_field(serializers.CharField, "counterpart_country")
    counterpart_subdivision = _entry_field(serializers.CharField, "counterpart_subdivision")
    region = _entry_field(serializers.ChoiceField, "region")
    themes = serializers.ListField(child=serializers.CharField(), source="theme_keys", read_only=True)
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
    amendments = AmendmentsField(
        source="*",
        read_only=True,
        help_text=gettext_lazy(
            "Cada modificación o prórroga inscrita: tipo, número propio, fechas y nuevo vencimiento."
        ),
    )
    url = RegistryUrlField(source="registry_number", read_only=True)

    @classmethod
    def lookups(cls) -> list[str]:
        """The ``values()`` lookups its fields read (``id`` too: the cursor's tie-breaker). A field reading the
        whole row (``source="*"``) names its own ``lookup``."""
        lookups = ["id"]
        for name, field in cls._declared_fields.items():
            lookups.append(getattr(field, "lookup", None) or field.source or name)
        return list(dict.fromkeys(lookups))

    def to_representation(self, row) -> dict:
        """The row through each declared field's own ``to_representation``, as DRF does (``None`` stays ``None``),
        without DRF's copy of every field per response and its bookkeeping per value (about a third of the list's
        time). The declared fields are only read here, never bound, so every response shares them."""
        return {name: read(row) for name, read in self._readers()}

    @classmethod
    @functools.cache
    def _readers(cls) -> list[tuple[str, Callable[[dict], Any]]]:
        return [(name, _reader(field, name)) for name, field in cls._declared_fields.items()]


def _reader(field: serializers.Field, name: str) -> Callable[[dict], Any]:
    if field.source == "*":
        return field.to_representation
    key = field.source or name
    represent = field.to_representation

    def read(row: dict):
        value = row[key]
        return None if value is None else represent(value)

    return read


@extend_schema_field({"type": "string", "nullable": True})
class CertificateUrlField(serializers.Field):
    """Where the entry's constancia de inscripción is downloaded, when the portal issued one."""

    lookup = "certificate__sha256"

    def to_representation(self, value) -> str | None:
        if value[self.lookup] is None:
            return None
        return reverse("agreements:registry_certificate", args=[value["registry_number"]])


class RegistryEntryDetailSerializer(RegistryEntrySerializer):
    """One registry entry, with its constancia de inscripción when the portal issued one."""

    certificate_url = CertificateUrlField(source="*", read_only=True)
    certificate_sha256 = serializers.CharField(source="certificate__sha256", allow_null=True, read_only=True)


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
