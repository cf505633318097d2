from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.api import PortalJSONParser
from portal.core.converters import DIGITS
from portal.core.pagination import PortalCursorPagination
from portal.core.throttling import AddressScopedThrottle, AnonymousThrottle
from portal.institutions.api.authentication import HasRequiredSecondFactor

from .. import selectors, services, workflow
from ..actions import HUMAN_ACTIONS
from ..filtersets import AgreementFilterSet, CjaInboxFilterSet, DgcpInboxFilterSet
from ..permissions import available_actions, available_reviewer_moves
from .serializers import (
    AgreementDetailSerializer,
    AgreementInputSerializer,
    AgreementListSerializer,
    CaseLookupSerializer,
    DeadlineQuerySerializer,
    DgcpInboxSerializer,
    InboxCaseSerializer,
    ReviewerAssignInputSerializer,
)


class AgreementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases (*expedientes*) visible to the caller; every action runs the same service as the web page."""

    permission_classes = [permissions.IsAuthenticated, HasRequiredSecondFactor]
    filterset_class = AgreementFilterSet
    parser_classes = [PortalJSONParser, MultiPartParser, FormParser]
    lookup_value_regex = DIGITS

    def get_queryset(self):
        return selectors.agreement_list(user=self.request.user)

    def get_serializer_class(self):
        return AgreementDetailSerializer if self.action != "list" else AgreementListSerializer

    def retrieve(self, request, *args, **kwargs):
        return Response(self._detail(kwargs["pk"]))

    def _detail(self, pk):
        user = self.request.user
        agreement = selectors.agreement_detail(user=user, pk=pk)
        context = {
            "request": self.request,
            "available_actions": available_actions(user, agreement),
            "reviewer_moves": available_reviewer_moves(user, agreement),
        }
        return AgreementDetailSerializer(agreement, context=context).data

    @extend_schema(request=AgreementInputSerializer, responses={201: AgreementDetailSerializer})
    def create(self, request):
        serializer = AgreementInputSerializer(data=request.data)
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

    @extend_schema(request=None, responses={200: AgreementDetailSerializer})
    @action(detail=True, methods=["post"], url_path="take", url_name="reviewer-take")
    def reviewer_take(self, request, pk=None):
        """Take the case as its named reviewer in the office whose inbox holds it."""
        return self._reviewer_move(services.reviewer_take)

    @extend_schema(request=None, responses={200: AgreementDetailSerializer})
    @action(detail=True, methods=["post"], url_path="release", url_name="reviewer-release")
    def reviewer_release(self, request, pk=None):
        """Leave the case unassigned (its reviewer, or the office's head)."""
        return self._reviewer_move(services.reviewer_release)

    @extend_schema(request=ReviewerAssignInputSerializer, responses={200: AgreementDetailSerializer})
    @action(detail=True, methods=["post"], url_path="assign", url_name="reviewer-assign")
    def reviewer_assign(self, request, pk=None):
        """Assign the case to a reviewer of the office (the office's head only)."""
        serializer = ReviewerAssignInputSerializer(data=request.data)
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
    return extend_schema(request=spec.serializer, responses={spec.api_status: AgreementDetailSerializer})(route)


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
    serializer_class = InboxCaseSerializer
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
    serializer_class = DgcpInboxSerializer
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
    query = DeadlineQuerySerializer(data=request.query_params)
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
        responses={200: CaseLookupSerializer},
    )
    def get(self, request, folio):
        found = selectors.case_lookup(folio)
        if found is None:
            raise NotFound()
        return Response(CaseLookupSerializer(found).data)
