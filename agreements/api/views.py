from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import APIException, NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.api import PortalJSONParser
from portal.core.converters import DIGITS, REGISTRY_NUMBER
from portal.core.pagination import PortalCursorPagination, SearchBoundedCursorPagination
from portal.core.throttling import AddressScopedThrottle, AnonymousThrottle
from portal.institutions.api.authentication import HasRequiredSecondFactor

from .. import exports, selectors, services, workflow
from ..actions import HUMAN_ACTIONS
from ..filtersets import AgreementFilterSet, CjaInboxFilterSet, DgcpInboxFilterSet, RegistryFilterSet
from . import serializers as s

XLSX = exports.XLSX_TYPE


class ExportsBusyError(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("Hay demasiadas exportaciones en espera; vuelva a intentarlo en unos minutos.")
    default_code = "exports_busy"
    wait = 60  # seconds, sent as Retry-After


class RegistryCursorPagination(SearchBoundedCursorPagination):
    ordering = ("-signed_on", "-id")


class AgreementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases (*expedientes*) visible to the caller; every action runs the same service as the web page."""

    permission_classes = [permissions.IsAuthenticated, HasRequiredSecondFactor]
    filterset_class = AgreementFilterSet
    parser_classes = [PortalJSONParser, MultiPartParser, FormParser]
    lookup_value_regex = DIGITS

    def get_queryset(self):
        return selectors.agreement_list(user=self.request.user)

    def get_serializer_class(self):
        return s.AgreementDetailSerializer if self.action != "list" else s.AgreementListSerializer

    def retrieve(self, request, *args, **kwargs):
        return Response(self._detail(kwargs["pk"]))

    def _detail(self, pk):
        agreement = selectors.agreement_detail(user=self.request.user, pk=pk)
        return s.AgreementDetailSerializer(agreement, context={"request": self.request}).data

    @extend_schema(request=s.AgreementInputSerializer, responses={201: s.AgreementDetailSerializer})
    def create(self, request):
        serializer = s.AgreementInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = services.agreement_create(user=request.user, data=serializer.validated_data)
        return Response(self._detail(agreement.pk), status=status.HTTP_201_CREATED)

    def _dispatch(self, spec, url_kwargs):
        """The one API dispatcher: validate with the table entry's serializer, call its service."""
        self.get_object()  # 404 for a case the caller may not see
        data = {}
        if spec.serializer is not None:
            serializer = spec.serializer(data=self.request.data)
            serializer.is_valid(raise_exception=True)
            data = spec.service_kwargs(serializer.validated_data)
        service = getattr(services, spec.service)
        service(user=self.request.user, agreement_id=int(self.kwargs["pk"]), **url_kwargs, **data)
        return Response(self._detail(self.kwargs["pk"]), status=spec.api_status)

    def _reviewer_move(self, service, **kwargs):
        self.get_object()  # 404 for a case the caller may not see
        service(user=self.request.user, agreement_id=int(self.kwargs["pk"]), **kwargs)
        return Response(self._detail(self.kwargs["pk"]))

    @extend_schema(request=None, responses={200: s.AgreementDetailSerializer})
    @action(detail=True, methods=["post"], url_path="take", url_name="reviewer-take")
    def reviewer_take(self, request, pk=None):
        """Take the case as its named reviewer in the office whose inbox holds it."""
        return self._reviewer_move(services.reviewer_take)

    @extend_schema(request=None, responses={200: s.AgreementDetailSerializer})
    @action(detail=True, methods=["post"], url_path="release", url_name="reviewer-release")
    def reviewer_release(self, request, pk=None):
        """Leave the case unassigned (its reviewer, or the office's head)."""
        return self._reviewer_move(services.reviewer_release)

    @extend_schema(request=s.ReviewerAssignInputSerializer, responses={200: s.AgreementDetailSerializer})
    @action(detail=True, methods=["post"], url_path="assign", url_name="reviewer-assign")
    def reviewer_assign(self, request, pk=None):
        """Assign the case to a reviewer of the office (the office's head only)."""
        serializer = s.ReviewerAssignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._reviewer_move(services.reviewer_assign, reviewer_id=serializer.validated_data["reviewer"])


def _api_route(spec):
    """A POST route of ``AgreementViewSet`` for one human action of the table."""

    def route(self, request, pk=None, **url_kwargs):
        return self._dispatch(spec, {name: int(value) for name, value in url_kwargs.items()})

    route.__name__ = spec.api_name
    route.__doc__ = str(spec.heading)
    route = action(detail=True, methods=["post"], url_path=spec.api_path, url_name=spec.api_name.replace("_", "-"))(
        route
    )
    return extend_schema(request=spec.serializer, responses={spec.api_status: s.AgreementDetailSerializer})(route)


for _spec in HUMAN_ACTIONS:  # before the router reads the viewset's extra actions
    setattr(AgreementViewSet, _spec.api_name, _api_route(_spec))


def _holding(permission: str):
    """A DRF permission: the caller's roles grant ``permission`` (403 otherwise)."""

    class Holding(permissions.BasePermission):
        def has_permission(self, request, view):
            return request.user.has_perm(permission)

    Holding.__name__ = f"Holding_{permission.split('.')[-1]}"
    return Holding


class CjaInboxPagination(PortalCursorPagination):
    ordering = ("cja_deadline", "id")


class DgcpInboxPagination(PortalCursorPagination):
    ordering = ("issued_at", "id")


class CjaInboxViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Cases waiting on the CJA (dictamen, step 7; registration, step 11), by deadline; the filters ``q`` and
    ``asignado`` (mios / sin_asignar / todos) are the inbox page's own."""

    permission_classes = [permissions.IsAuthenticated, HasRequiredSecondFactor, _holding("agreements.issue_dictamen")]
    serializer_class = s.InboxCaseSerializer
    filterset_class = CjaInboxFilterSet
    pagination_class = CjaInboxPagination

    def get_queryset(self):
        return selectors.cja_inbox(user=self.request.user)


class DgcpInboxViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Dictámenes waiting on the DGCP (step 8), oldest first; the same ``q`` and ``asignado`` as the page."""

    permission_classes = [
        permissions.IsAuthenticated,
        HasRequiredSecondFactor,
        _holding("agreements.approve_dictamen"),
    ]
    serializer_class = s.DgcpInboxSerializer
    filterset_class = DgcpInboxFilterSet
    pagination_class = DgcpInboxPagination

    def get_queryset(self):
        return selectors.dgcp_inbox(user=self.request.user)


@extend_schema(
    parameters=[OpenApiParameter("signing_date", str, description="YYYY-MM-DD")],
    responses=inline_serializer(
        "Deadline",
        {
            "signing_date": serializers.DateField(),
            "must_reach_cja_by": serializers.DateField(),
            "business_days": serializers.IntegerField(),
            "is_past": serializers.BooleanField(),
        },
    ),
)
@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def calendar_deadline(request):
    """The date a request must reach the CJA: ten business days before the intended signing date."""
    query = s.DeadlineQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    signing = query.validated_data["signing_date"]
    deadline = workflow.cja_deadline(signing, services.non_working_days())
    return Response(
        {
            "signing_date": signing,
            "must_reach_cja_by": deadline,
            "business_days": workflow.CJA_BUSINESS_DAYS,
            "is_past": deadline < services.today(),
        }
    )


class CaseLookupView(APIView):
    """Public status of a case by its folio (no login): the step, its date and whether the case is open or ended.

    Nothing else about the case. A draft that was never sent answers 404 like an unknown folio. The answer is
    the same for every caller (no authentication is read); the page ``/consulta/`` shares the ``lookup`` rate.
    """

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonymousThrottle, AddressScopedThrottle]
    throttle_scope = "lookup"

    @extend_schema(
        operation_id="lookup_retrieve",
        parameters=[OpenApiParameter("folio", str, OpenApiParameter.PATH, description="AII-2026-000123")],
        responses={200: s.CaseLookupSerializer},
    )
    def get(self, request, folio):
        found = selectors.case_lookup(folio)
        if found is None:
            raise NotFound()
        return Response(s.CaseLookupSerializer(found).data)


class RegistryViewSet(viewsets.ReadOnlyModelViewSet):
    """The public registry of inter-institutional agreements (no login needed)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = s.RegistryEntrySerializer
    filterset_class = RegistryFilterSet
    lookup_field = "registry_number"
    lookup_value_regex = REGISTRY_NUMBER
    pagination_class = RegistryCursorPagination

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.with_amendments(selectors.registered_agreements().select_related("certificate"))
        if self.action == "list":
            return selectors.with_amendments(selectors.registered_agreements())
        return selectors.registered_agreements()

    def get_serializer_class(self):
        return s.RegistryEntryDetailSerializer if self.action == "retrieve" else s.RegistryEntrySerializer

    def _cached_stats(self, request, dimension: str) -> dict:
        """The statistic of the entries the request's filters select, from the statistics cache."""
        filterset = RegistryFilterSet(request.query_params, queryset=self.get_queryset())
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        return selectors.cached_registry_stats(filterset.qs, dimension, key=selectors.filter_key(filterset))

    @extend_schema(
        parameters=[s.StatsQuerySerializer],
        responses=inline_serializer(
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
    )
    @action(detail=False)
    def stats(self, request):
        query = s.StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(self._cached_stats(request, query.validated_data["by"]))

    @extend_schema(parameters=[s.ProjectionQuerySerializer], responses=OpenApiTypes.OBJECT)
    @action(detail=False)
    def projection(self, request):
        query = s.ProjectionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        base_count = selectors.signed_before(self._cached_stats(request, "year"), params["base_year"])
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
            job = services.export_job_start(
                file_format=file_format, params=services.export_params(request.query_params), user=request.user
            )
        except services.ExportsBusy:
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
