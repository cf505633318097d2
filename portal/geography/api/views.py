from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from portal.core.converters import INEGI_CODE, STATE_CODE

from .. import countries
from ..filtersets import MunicipalityFilterSet
from ..models import Municipality
from ..profiles import registered_sections
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
        for section in registered_sections():
            data.update(section.state_data(state, request))
        return Response(data)


@extend_schema(
    parameters=[OpenApiParameter("country", str, required=True, description="ISO 3166-1 alpha-2, p. ej. GT")],
    responses=inline_serializer(
        "Subdivision", {"code": serializers.CharField(), "name": serializers.CharField()}, many=True
    ),
)
@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def subdivision_list(request):
    """The first-level subdivisions (ISO 3166-2) of a country, by name in the reader's language, sorted by name.

    The filing form's «Estado o provincia» picker follows the chosen country with it.
    """
    country = (request.query_params.get("country") or "").strip().upper()
    if not countries.is_country(country):
        raise ValidationError(
            {"country": [_("Indique un país con su clave ISO 3166-1 de dos letras (p. ej. GT para Guatemala).")]}
        )
    return Response([{"code": code, "name": name} for code, name in countries.subdivision_choices(country)])
