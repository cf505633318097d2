from django.core.management.base import BaseCommand

from agreements.registry.selectors import entries_missing_certificate
from agreements.registry.services import registry_certificate_issue


class Command(BaseCommand):
    help = (
        "Emite la constancia de inscripción de los acuerdos inscritos por el procedimiento que aún no la tienen "
        "(los concluidos antes de que el portal las emitiera). Volver a ejecutarlo no emite duplicados."
    )

    def handle(self, *args, **options):
        issued = 0
        for entry_id in entries_missing_certificate().iterator():
            registry_certificate_issue(entry_id=entry_id)
            issued += 1
        self.stdout.write(f"Constancias emitidas: {issued}")
