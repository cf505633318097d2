from rest_framework import permissions, viewsets
from rest_framework.pagination import PageNumberPagination

from ..filtersets import MunicipalityFilterSet
from ..models import Municipality
from .serializers import MunicipalitySerializer


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
    queryset = Municipality.objects.select_related("state").order_by("state_id", "name")
