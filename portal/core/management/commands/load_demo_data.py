from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import import_string

from portal.institutions.demo import DemoDataRefused, refuse_in_production


class Command(BaseCommand):
    help = "Carga los datos de demostración (marcados is_demo) y las cuentas demo. Idempotente."

    def handle(self, *args, **options):
        try:
            refuse_in_production()
        except DemoDataRefused as exc:
            raise CommandError(str(exc)) from None
        # The demo's notifications stay in the portal; their e-mails are not printed to the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for path in settings.PORTAL_DEMO_LOADERS:
                with transaction.atomic():
                    counts = import_string(path)()
                summary = ", ".join(f"{k}={v}" for k, v in counts.items())
                self.stdout.write(f"{path}: {summary}")
        self.stdout.write(self.style.SUCCESS("Datos de demostración cargados."))
