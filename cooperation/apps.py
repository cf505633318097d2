from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "cooperation"
