"""``/api/v1/followup/…``: the same selectors, filter sets, permissions and services as the pages. Signed-in users
only: the signing office reads and writes its own; DGCP, CJA, analysts and administrators read all."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.core.exceptions import NotFound
from portal.institutions.api.authentication import HasRequiredSecondFactor

from .. import selectors, services
from ..filtersets import FollowupFilterSet, IndicatorFilterSet, ReportFilterSet, WorkPlanFilterSet
from . import serializers as s

AUTHENTICATED = [permissions.IsAuthenticated, HasRequiredSecondFactor]


class FollowupEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """Followed agreements visible to the caller, with their derived follow-up status."""

    permission_classes = AUTHENTICATED
    serializer_class = s.FollowupEntrySerializer
    filterset_class = FollowupFilterSet
    lookup_field = "registry_number"
    lookup_value_regex = r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}"

    def get_queryset(self):
        return selectors.followup_list(user=self.request.user).order_by("-id")


class WorkPlanViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = AUTHENTICATED
    serializer_class = s.WorkPlanSerializer
    filterset_class = WorkPlanFilterSet

    def get_queryset(self):
        return selectors.plan_list(user=self.request.user)

    def _detail(self, pk):
        return s.WorkPlanSerializer(self.get_queryset().get(pk=pk), context={"request": self.request}).data

    @extend_schema(request=s.WorkPlanInputSerializer, responses={201: s.WorkPlanSerializer})
    def create(self, request, *args, **kwargs):
        data = s.WorkPlanInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        entry = selectors.followup_entry(registry_number=values.pop("registry_number"))
        if entry is None:
            raise NotFound()
        plan = services.work_plan_create(user=request.user, entry_id=entry.pk, **values)
        return Response(self._detail(plan.pk), status=status.HTTP_201_CREATED)

    def _add(self, request, serializer_class, service):
        self.get_object()  # 404 for a plan the caller may not see
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        service(user=request.user, plan_id=int(self.kwargs["pk"]), **data.validated_data)
        return Response(self._detail(self.kwargs["pk"]), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ActivityInputSerializer, responses={201: s.WorkPlanSerializer})
    @action(detail=True, methods=["post"])
    def activities(self, request, pk=None):
        return self._add(request, s.ActivityInputSerializer, services.activity_add)

    @extend_schema(request=s.IndicatorInputSerializer, responses={201: s.WorkPlanSerializer})
    @action(detail=True, methods=["post"])
    def indicators(self, request, pk=None):
        return self._add(request, s.IndicatorInputSerializer, services.indicator_add)


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = AUTHENTICATED
    serializer_class = s.IndicatorSerializer
    filterset_class = IndicatorFilterSet

    def get_queryset(self):
        return selectors.indicator_list(user=self.request.user)


class ReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Six-monthly reports; evidence is uploaded on the agreement's follow-up page (PDF checks) and listed here
    with a download link only for the office and the SRE's reviewers."""

    permission_classes = AUTHENTICATED
    serializer_class = s.ReportSerializer
    filterset_class = ReportFilterSet

    def get_queryset(self):
        return selectors.report_list(user=self.request.user)

    @extend_schema(request=s.ReportInputSerializer, responses={201: s.ReportSerializer})
    def create(self, request, *args, **kwargs):
        data = s.ReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if not selectors.plans_visible_to(request.user).filter(pk=values["plan"]).exists():
            raise NotFound()
        report = services.report_file(
            user=request.user,
            plan_id=values["plan"],
            period_start=values["period_start"],
            period_end=values["period_end"],
            summary=values["summary"],
            progress={
                p["activity"]: {"percent": p["percent"], "note": p.get("note", "")} for p in values.get("progress", [])
            },
            values={v["indicator"]: v["value"] for v in values.get("values", [])},
        )
        report = self.get_queryset().get(pk=report.pk)
        return Response(s.ReportSerializer(report, context={"request": request}).data, status=status.HTTP_201_CREATED)
