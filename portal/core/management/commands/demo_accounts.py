from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.institutions.demo import ACCOUNTS, DemoDataRefused, refuse_in_production


class Command(BaseCommand):
    help = "Muestra las cuentas de demostración y su contraseña."

    def handle(self, *args, **options):
        try:
            refuse_in_production()
        except DemoDataRefused as exc:
            raise CommandError(str(exc)) from None
        port = settings.PORTAL_PORT
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Portal AII en http://127.0.0.1:{port}/  (datos de demostración cargados)")
        )
        self.stdout.write(f"Contraseña de todas las cuentas demo: {settings.PORTAL_DEMO_PASSWORD}")
        for email, _first, _last, held, institution in ACCOUNTS:
            label = " + ".join(str(r.label) for r in (held if isinstance(held, tuple) else (held,)))
            self.stdout.write(f"  {email:28} {label:30} {institution or ''}")
        self.stdout.write("")
