from rest_framework import permissions, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from portal.core.converters import INEGI_CODE, STATE_CODE

from .. import selectors
from ..filtersets import MunicipalityFilterSet
from ..models import Municipality
from .serializers import MunicipalitySerializer, StateSerializer, states_with_counts


class MunicipalityPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    """Municipalities and alcaldías (Fuente: INEGI), searchable by name without accents."""

    permission_classes = [permissions.AllowAny]
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilterSet
    pagination_class = MunicipalityPagination
    lookup_field = "inegi_code"
    lookup_value_regex = INEGI_CODE
    queryset = Municipality.objects.select_related("state").order_by("state_id", "name")


class StateViewSet(viewsets.ReadOnlyModelViewSet):
    """The 32 states; the detail brings the whole profile (offices, focal point, partnerships, agreements)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = StateSerializer
    pagination_class = None
    lookup_field = "code"
    lookup_value_regex = STATE_CODE
    queryset = states_with_counts().order_by("code")

    def retrieve(self, request, *args, **kwargs):
        state = self.get_object()
        data = dict(StateSerializer(state).data)
        for module in selectors.section_modules():
            data.update(module.state_data(state, request))
        return Response(data)
