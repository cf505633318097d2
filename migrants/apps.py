from django.apps import AppConfig


class MigrantsConfig(AppConfig):
    name = "migrants"
