from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from portal.core.exceptions import ValidationFailed
from portal.core.pagination import PortalCursorPagination

from .. import selectors, services, workflow
from ..filtersets import AgreementFilterSet, RegistryFilterSet
from . import serializers as s


class RegistryCursorPagination(PortalCursorPagination):
    ordering = ("-signed_on", "-id")


class AgreementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases (*expedientes*) visible to the caller; every action runs the same service as the web page."""

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = AgreementFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.agreement_list(user=self.request.user)

    def get_serializer_class(self):
        return s.AgreementDetailSerializer if self.action != "list" else s.AgreementListSerializer

    def retrieve(self, request, *args, **kwargs):
        return Response(self._detail(kwargs["pk"]))

    def _detail(self, pk):
        agreement = selectors.agreement_detail(user=self.request.user, pk=pk)
        return s.AgreementDetailSerializer(agreement, context={"request": self.request}).data

    def _run(self, serializer_class, perform, status_code=status.HTTP_200_OK):
        self.get_object()  # 404 for a case the caller may not see
        data = {}
        if serializer_class is not None:
            serializer = serializer_class(data=self.request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        perform(data)
        return Response(self._detail(self.kwargs["pk"]), status=status_code)

    @extend_schema(request=s.AgreementInputSerializer, responses={201: s.AgreementDetailSerializer})
    def create(self, request):
        serializer = s.AgreementInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = services.agreement_create(user=request.user, data=serializer.validated_data)
        return Response(self._detail(agreement.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DocumentInputSerializer, responses={201: s.AgreementDetailSerializer})
    @action(detail=True, methods=["post"])
    def documents(self, request, pk=None):
        def perform(d):
            if d["kind"] == "signed_copy":
                raise ValidationFailed(_("Envíe la copia firmada a /signature/ con su fecha y lugar de firma."))
            services.document_upload(
                user=request.user,
                agreement_id=int(pk),
                kind=d["kind"],
                upload=d["file"],
                annex_type=d.get("annex_type", ""),
            )

        return self._run(s.DocumentInputSerializer, perform, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.AgreementDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._run(None, lambda d: services.agreement_submit(user=request.user, agreement_id=int(pk)))

    @extend_schema(request=s.DictamenInputSerializer, responses={201: s.AgreementDetailSerializer})
    @action(detail=True, methods=["post"])
    def dictamen(self, request, pk=None):
        return self._run(
            s.DictamenInputSerializer,
            lambda d: services.dictamen_issue(
                user=request.user,
                agreement_id=int(pk),
                outcome=d["outcome"],
                summary=d["summary"],
                observations=d["observations"],
            ),
            status.HTTP_201_CREATED,
        )

    @extend_schema(request=s.CoverNoteSerializer, responses=s.AgreementDetailSerializer)
    @action(detail=True, methods=["post"], url_path="dictamen/approve")
    def dictamen_approve(self, request, pk=None):
        return self._run(
            s.CoverNoteSerializer,
            lambda d: services.dictamen_approve(user=request.user, agreement_id=int(pk), cover_note=d["cover_note"]),
        )

    @extend_schema(request=s.CommentSerializer, responses=s.AgreementDetailSerializer)
    @action(detail=True, methods=["post"], url_path="dictamen/return")
    def dictamen_return(self, request, pk=None):
        return self._run(
            s.CommentSerializer,
            lambda d: services.dictamen_return(user=request.user, agreement_id=int(pk), comment=d["comment"]),
        )

    @extend_schema(request=s.ObservationAnswerSerializer, responses=s.AgreementDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"observations/(?P<number>[0-9]+)/answer")
    def observation_answer(self, request, pk=None, number=None):
        return self._run(
            s.ObservationAnswerSerializer,
            lambda d: services.observation_answer(
                user=request.user, agreement_id=int(pk), number=int(number), answer=d["answer"], reply=d["reply"]
            ),
        )

    @extend_schema(request=s.SignatureSerializer, responses=s.AgreementDetailSerializer)
    @action(detail=True, methods=["post"])
    def signature(self, request, pk=None):
        return self._run(
            s.SignatureSerializer,
            lambda d: services.signed_copy_submit(
                user=request.user,
                agreement_id=int(pk),
                upload=d["file"],
                signed_on=d["signed_on"],
                signed_place=d["signed_place"],
            ),
        )

    @extend_schema(request=s.RegistrationSerializer, responses=s.AgreementDetailSerializer)
    @action(detail=True, methods=["post"])
    def registration(self, request, pk=None):
        return self._run(
            s.RegistrationSerializer,
            lambda d: services.agreement_register(
                user=request.user,
                agreement_id=int(pk),
                registry_number=d["registry_number"],
                registered_on=d["registered_on"],
                recommendations_incorporated=d["recommendations_incorporated"],
            ),
        )

    @extend_schema(request=s.ReasonSerializer, responses=s.AgreementDetailSerializer)
    @action(detail=True, methods=["post"], url_path="registration/return")
    def registration_return(self, request, pk=None):
        return self._run(
            s.ReasonSerializer,
            lambda d: services.signed_copy_return(user=request.user, agreement_id=int(pk), reason=d["reason"]),
        )

    @extend_schema(request=s.ReasonSerializer, responses=s.AgreementDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_for_corrections(self, request, pk=None):
        return self._run(
            s.ReasonSerializer,
            lambda d: services.agreement_return(user=request.user, agreement_id=int(pk), reason=d["reason"]),
        )

    @extend_schema(request=s.ReasonSerializer, responses=s.AgreementDetailSerializer)
    @action(detail=True, methods=["post"], url_path="not-admissible")
    def not_admissible(self, request, pk=None):
        return self._run(
            s.ReasonSerializer,
            lambda d: services.agreement_mark_not_admissible(
                user=request.user, agreement_id=int(pk), reason=d["reason"]
            ),
        )

    @extend_schema(request=s.OptionalReasonSerializer, responses=s.AgreementDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._run(
            s.OptionalReasonSerializer,
            lambda d: services.agreement_withdraw(user=request.user, agreement_id=int(pk), reason=d["reason"]),
        )


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


class RegistryViewSet(viewsets.ReadOnlyModelViewSet):
    """The public registry of inter-institutional agreements (no login needed)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = s.RegistryEntrySerializer
    filterset_class = RegistryFilterSet
    lookup_field = "registry_number"
    lookup_value_regex = "[^/]+"
    pagination_class = RegistryCursorPagination

    def get_queryset(self):
        return selectors.registered_agreements()

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
        parameters=[OpenApiParameter("file_format", str, enum=["csv", "xlsx"])],
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
    )
    @action(detail=False)
    def export(self, request):
        from .. import exports

        queryset = self.filter_queryset(self.get_queryset())
        if request.query_params.get("file_format") == "xlsx":
            return exports.xlsx_response(queryset)
        return exports.csv_response(queryset)
