from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "portal.institutions"
    label = "institutions"
