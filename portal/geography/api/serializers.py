from django.db.models import Count
from rest_framework import serializers

from ..models import Municipality, State


class MunicipalitySerializer(serializers.ModelSerializer):
    state_code = serializers.CharField(source="state_id")
    state_name = serializers.CharField(source="state.short_name")

    class Meta:
        model = Municipality
        fields = ["inegi_code", "name", "seat_name", "state_code", "state_name", "population_2020"]


class StateSerializer(serializers.ModelSerializer):
    municipality_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = State
        fields = ["code", "name", "short_name", "iso_code", "population_2020", "municipality_count"]


def states_with_counts():
    return State.objects.annotate(municipality_count=Count("municipalities"))
