"""The public registry's API (no login needed)."""

from functools import partial

from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response

from portal.core.converters import REGISTRY_NUMBER
from portal.core.pagecache import cached_anonymous_response
from portal.core.pagination import SearchBoundedCursorPagination

from .. import exports, jobs, selectors
from ..filtersets import RegistryFilterSet
from . import serializers as s

XLSX = exports.XLSX_TYPE


class ExportsBusyError(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("Hay demasiadas exportaciones en espera; vuelva a intentarlo en unos minutos.")
    default_code = "exports_busy"
    wait = 60  # seconds, sent as Retry-After


STATS_COUNTING = inline_serializer(
    "RegistryStatsCounting",
    {"detail": serializers.CharField(), "code": serializers.CharField(), "status": serializers.CharField()},
)


class RegistryCursorPagination(SearchBoundedCursorPagination):
    ordering = ("-signed_on", "-id")

    def by_month(self, request):
        return selectors.search_by_month(request.query_params.get(self.search_param, ""))


class RegistryViewSet(viewsets.ReadOnlyModelViewSet):
    """The public registry of inter-institutional agreements (no login needed)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = s.RegistryEntrySerializer
    filterset_class = RegistryFilterSet
    lookup_field = "registry_number"
    lookup_value_regex = REGISTRY_NUMBER
    pagination_class = RegistryCursorPagination

    def get_queryset(self):
        return selectors.registered_agreements(amendments=self.action in ("list", "retrieve"))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action in ("list", "retrieve"):
            return selectors.registry_list_values(queryset, self.get_serializer_class().lookups())
        return queryset

    def get_serializer_class(self):
        return s.RegistryEntryDetailSerializer if self.action == "retrieve" else s.RegistryEntrySerializer

    def _for_anonymous(self, request, respond) -> Response:
        """``respond()``'s JSON, cached for anonymous readers until the registry changes (portal.core.pagecache)."""
        return cached_anonymous_response(
            request,
            respond,
            name=f"registry-api-{self.action}",
            version=selectors.registry_version,
            content_types=("application/json",),
            variant=request.accepted_renderer.format,
        )

    def list(self, request, *args, **kwargs):
        return self._for_anonymous(request, partial(super().list, request, *args, **kwargs))

    def _cached_stats(self, request, dimension: str) -> dict:
        """The statistic of the entries the request's filters select, from the statistics cache; raises
        ``jobs.StatsCounting`` while a filter set too broad for a request is counted in the background."""
        filterset = RegistryFilterSet(request.query_params, queryset=self.get_queryset())
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        return jobs.registry_stats_count(filterset, [dimension])[dimension]

    @staticmethod
    def _counting(counting: jobs.StatsCounting) -> Response:
        """202 while the statistics are counted: the same URL answers 200 with them once they are ready."""
        response = Response(
            {
                "detail": _(
                    "Estamos calculando las estadísticas de esta búsqueda; vuelva a consultar en unos segundos."
                ),
                "code": "stats_counting",
                "status": counting.state,
            },
            status=status.HTTP_202_ACCEPTED,
            headers={"Retry-After": str(counting.retry_after)},
        )
        add_never_cache_headers(response)
        return response

    @extend_schema(
        parameters=[s.StatsQuerySerializer],
        responses={
            200: inline_serializer(
                "RegistryStats",
                {
                    "by": serializers.CharField(),
                    "total": serializers.IntegerField(),
                    "results": inline_serializer(
                        "RegistryStatsRow",
                        {
                            "key": serializers.CharField(),
                            "label": serializers.CharField(),
                            "count": serializers.IntegerField(),
                        },
                        many=True,
                    ),
                },
            ),
            202: OpenApiResponse(
                STATS_COUNTING,
                description="Coinciden demasiados acuerdos para contarlos en la petición: se cuentan en segundo "
                "plano; vuelva a pedir la misma URL tras Retry-After.",
            ),
        },
    )
    @action(detail=False)
    def stats(self, request):
        def respond():
            query = s.StatsQuerySerializer(data=request.query_params)
            query.is_valid(raise_exception=True)
            try:
                return Response(self._cached_stats(request, query.validated_data["by"]))
            except jobs.StatsCounting as counting:
                return self._counting(counting)

        return self._for_anonymous(request, respond)

    @extend_schema(
        parameters=[s.ProjectionQuerySerializer],
        responses={
            200: OpenApiTypes.OBJECT,
            202: OpenApiResponse(STATS_COUNTING, description="Las estadísticas se cuentan en segundo plano."),
        },
    )
    @action(detail=False)
    def projection(self, request):
        query = s.ProjectionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        try:
            year_stats = self._cached_stats(request, "year")
        except jobs.StatsCounting as counting:
            return self._counting(counting)
        base_count = selectors.signed_before(year_stats, params["base_year"])
        return Response(
            selectors.projection(
                base_count=base_count, base_year=params["base_year"], until=params["until"], rate=params["rate"]
            )
        )

    @extend_schema(
        parameters=[s.ExportQuerySerializer],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="CSV (UTF-8), file_format=csv"),
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="Libro de Excel, file_format=xlsx"),
            (202, "application/json"): OpenApiResponse(
                s.ExportJobSerializer,
                description="Demasiadas filas para una respuesta: se generará en segundo plano (ver Location).",
            ),
            (503, "application/json"): OpenApiResponse(
                inline_serializer("ExportsBusy", {"detail": serializers.CharField(), "code": serializers.CharField()}),
                description="Demasiadas exportaciones en espera; vuelva a intentar tras Retry-After.",
            ),
        },
    )
    @action(detail=False)
    def export(self, request):
        query = s.ExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        file_format = query.validated_data["file_format"]
        queryset = self.filter_queryset(self.get_queryset())
        if exports.fits_in_a_request(queryset, file_format):
            return exports.WRITE_RESPONSES[file_format](queryset)
        try:
            job = jobs.export_job_start(
                file_format=file_format, params=jobs.export_params(request.query_params), user=request.user
            )
        except jobs.ExportsBusy:
            raise ExportsBusyError from None
        data = s.ExportJobSerializer(job, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["status_url"]})

    @extend_schema(responses=s.ExportJobSerializer)
    @action(detail=False, url_path=r"exports/(?P<job_id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")
    def export_job(self, request, job_id):
        """A background export's progress; ``download_url`` once it is ready (valid until ``expires_at``)."""
        job = selectors.export_job_get(job_id)
        if job is None or job.expired:
            raise NotFound
        return Response(s.ExportJobSerializer(job, context={"request": request}).data)
