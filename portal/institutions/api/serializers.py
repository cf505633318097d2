from rest_framework import serializers


class ApiTokenSerializer(serializers.Serializer):
    token_key = serializers.CharField(read_only=True, help_text="Los primeros caracteres del token: lo identifican.")
    created = serializers.DateTimeField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True)


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="El token completo; se muestra solo esta vez.")
