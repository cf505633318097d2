from rest_framework import permissions, viewsets

from .. import selectors
from ..filtersets import FocalPointFilterSet, NetworkFilterSet, OrganisationFilterSet, PartnershipFilterSet
from . import serializers as s


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    serializer_class = s.OrganisationSerializer
    filterset_class = OrganisationFilterSet
    pagination_class = None

    def get_queryset(self):
        return selectors.organisation_list().order_by("kind", "name")


class PartnershipViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    serializer_class = s.PartnershipSerializer
    filterset_class = PartnershipFilterSet
    pagination_class = None

    def get_queryset(self):
        return selectors.partnership_list().with_values().order_by("institution__state_id", "organisation__name", "id")


class CityNetworkViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    serializer_class = s.CityNetworkSerializer
    filterset_class = NetworkFilterSet
    pagination_class = None

    def get_queryset(self):
        return selectors.network_list().order_by("name")


class FocalPointViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    serializer_class = s.FocalPointSerializer
    filterset_class = FocalPointFilterSet

    def get_queryset(self):
        return selectors.focal_point_list().order_by("-id")
