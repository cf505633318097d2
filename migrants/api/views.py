from rest_framework import permissions, viewsets

from .. import selectors
from ..filtersets import MigrantOfficeFilterSet
from .serializers import MigrantOfficeSerializer


class MigrantOfficeViewSet(viewsets.ReadOnlyModelViewSet):
    """State (OFAM) and municipal migrant-attention offices; public institutional data."""

    permission_classes = [permissions.AllowAny]
    serializer_class = MigrantOfficeSerializer
    filterset_class = MigrantOfficeFilterSet
    pagination_class = None

    def get_queryset(self):
        return selectors.office_list().order_by("institution__state_id", "institution__name")
