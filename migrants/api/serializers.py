from rest_framework import serializers

from ..models import MigrantOffice, MigrationProfile, OfficeAbroad


class OfficeAbroadSerializer(serializers.ModelSerializer):
    class Meta:
        model = OfficeAbroad
        fields = ["city", "region", "country", "is_liaison"]


class MigrantOfficeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="institution.name")
    level = serializers.CharField(source="institution.level")
    state_code = serializers.CharField(source="institution.state_id")
    municipality_code = serializers.CharField(source="institution.municipality_id", allow_null=True)
    populations = serializers.SerializerMethodField()
    services = serializers.SerializerMethodField()
    offices_abroad = OfficeAbroadSerializer(many=True)

    class Meta:
        model = MigrantOffice
        fields = [
            "id",
            "name",
            "official_name_known",
            "level",
            "state_code",
            "municipality_code",
            *MigrantOffice.EDITABLE_FIELDS,
            "offices_abroad",
            "confirmed_at",
            "source",
        ]

    def get_populations(self, obj) -> list[str]:
        return obj.population_keys

    def get_services(self, obj) -> list[str]:
        return obj.service_keys


class MigrationProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = MigrationProfile
        fields = [
            "constitution_mentions_migrants",
            "has_protection_law",
            "protection_law_name",
            "council_name",
            "council_notes",
            "mgi_profile_year",
            "municipal_shelters",
        ]
