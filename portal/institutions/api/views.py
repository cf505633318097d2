from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import permissions, status, viewsets
from rest_framework.response import Response

from portal.core.exceptions import PermissionDenied

from .. import selectors, services
from . import serializers as s
from .authentication import HasRequiredSecondFactor


class ApiTokenViewSet(viewsets.GenericViewSet):
    """The caller's own API tokens: list, create (from a browser session only) and revoke."""

    permission_classes = [permissions.IsAuthenticated, HasRequiredSecondFactor]
    serializer_class = s.ApiTokenSerializer
    pagination_class = None
    lookup_field = "token_key"
    lookup_value_regex = "[A-Za-z0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return AuthToken.objects.none()
        return selectors.api_tokens_of(self.request.user)

    def list(self, request):
        return Response(s.ApiTokenSerializer(self.get_queryset(), many=True).data)

    @extend_schema(request=None, responses={201: s.ApiTokenCreatedSerializer})
    def create(self, request):
        if request.auth is not None:
            # A token minting tokens would outlive every expiry: new tokens come from a signed-in person.
            raise PermissionDenied(
                _("Los tokens se crean desde una sesión iniciada con verificación en dos pasos, no con otro token."),
                code="session_required",
            )
        token, secret = services.api_token_create(user=request.user)
        data = {**s.ApiTokenSerializer(token).data, "token": secret}
        return Response(s.ApiTokenCreatedSerializer(data).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, token_key=None):
        services.api_token_revoke(user=request.user, token_key=token_key)
        return Response(status=status.HTTP_204_NO_CONTENT)
