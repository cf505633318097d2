from rest_framework import serializers

from ..models import CityNetwork, FocalPoint, NetworkMembership, Organisation, Partnership
from ..permissions import user_can_see_contacts


class OrganisationSerializer(serializers.ModelSerializer):
    partnership_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "acronym", "english_name", "kind", "country", "website", "partnership_count"]


class PartnershipSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.name")
    state_code = serializers.CharField(source="institution.state_id")
    municipality_code = serializers.CharField(source="institution.municipality_id", allow_null=True)
    organisation = serializers.CharField(source="organisation.name")
    organisation_kind = serializers.CharField(source="organisation.kind")
    # The API's shape before the values became relations: one string each (names "; ", keys ";").
    themes = serializers.SerializerMethodField()
    populations = serializers.SerializerMethodField()

    class Meta:
        model = Partnership
        fields = [
            "id",
            "title",
            "institution",
            "state_code",
            "municipality_code",
            "organisation",
            "organisation_kind",
            "instrument",
            "year",
            "started_on",
            "ends_on",
            "status",
            "themes",
            "populations",
            "activities",
            "source",
        ]

    def get_themes(self, obj) -> str:
        return "; ".join(obj.theme_names)

    def get_populations(self, obj) -> str:
        return ";".join(obj.population_keys)


class MembershipSerializer(serializers.ModelSerializer):
    state_code = serializers.CharField(source="state_id", allow_null=True)
    municipality_code = serializers.CharField(source="municipality_id", allow_null=True)

    class Meta:
        model = NetworkMembership
        fields = ["state_code", "municipality_code", "joined_year"]


class CityNetworkSerializer(serializers.ModelSerializer):
    members = MembershipSerializer(source="memberships", many=True)

    class Meta:
        model = CityNetwork
        fields = ["id", "name", "acronym", "kind", "convenor", "founded_year", "members"]


class FocalPointSerializer(serializers.ModelSerializer):
    """Contact details (e-mail, phone) only for signed-in staff."""

    state_code = serializers.CharField(source="state_id", allow_null=True)
    municipality_code = serializers.CharField(source="municipality_id", allow_null=True)

    class Meta:
        model = FocalPoint
        fields = [
            "id",
            "state_code",
            "municipality_code",
            "name",
            "position",
            "area",
            "email",
            "phone",
            "designated_on",
            "term_ends_on",
            "is_current",
            "ended_on",
            "confirmed_at",
        ]
        # Absent (not empty) for anonymous callers and signed-in users who may not see contacts: the schema says so.
        extra_kwargs = {
            "email": {"required": False, "help_text": "Solo para personal con sesión autorizado a ver contactos."},
            "phone": {"required": False, "help_text": "Solo para personal con sesión autorizado a ver contactos."},
        }

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not user_can_see_contacts(request.user):
            data.pop("email")
            data.pop("phone")
        return data
