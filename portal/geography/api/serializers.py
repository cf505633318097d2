from rest_framework import serializers

from ..models import Municipality


class MunicipalitySerializer(serializers.ModelSerializer):
    state_code = serializers.CharField(source="state_id")
    state_name = serializers.CharField(source="state.short_name")

    class Meta:
        model = Municipality
        fields = ["inegi_code", "name", "seat_name", "state_code", "state_name", "population_2020"]
