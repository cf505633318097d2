from rest_framework import serializers

from ..models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField(help_text="Whether the caller has marked the notice as read.")
    subject = serializers.SerializerMethodField(help_text="The subject, in the caller's language.")
    text = serializers.SerializerMethodField(help_text="The notice's message, in the caller's language.")

    class Meta:
        model = Notification
        fields = ["id", "event", "agreement", "created_at", "read", "read_at", "subject", "text", "url"]
        read_only_fields = fields

    def _rendered(self, obj) -> tuple[str, str]:
        if not hasattr(obj, "_rendered"):
            obj._rendered = obj.rendered()
        return obj._rendered

    def get_read(self, obj) -> bool:
        return obj.read_at is not None

    def get_subject(self, obj) -> str:
        return self._rendered(obj)[0]

    def get_text(self, obj) -> str:
        return self._rendered(obj)[1]


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notices were marked as read.")
