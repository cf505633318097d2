from drf_spectacular.utils import extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..filtersets import NotificationFilterSet
from ..models import Notification
from ..selectors import notifications_of
from ..services import notification_mark_read
from . import serializers as s


class NotificationViewSet(viewsets.GenericViewSet):
    """The caller's own notices, in the caller's language; another person's notice answers 404."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.NotificationSerializer
    filterset_class = NotificationFilterSet
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Notification.objects.none()
        return notifications_of(self.request.user)

    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=None, responses={200: s.NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notice = self.get_object()
        notification_mark_read(user=request.user, notification_id=notice.pk)
        notice.refresh_from_db(fields=["read_at"])
        return Response(self.get_serializer(notice).data)

    @extend_schema(request=None, responses={200: s.ReadAllSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": notification_mark_read(user=request.user)})
