from django.core.management.base import BaseCommand

from agreements.registry.models import RegistryEntry
from agreements.registry.services import registry_certificate_issue


class Command(BaseCommand):
    help = (
        "Emite la constancia de inscripción de los acuerdos inscritos por el procedimiento que aún no la tienen "
        "(los concluidos antes de que el portal las emitiera). Volver a ejecutarlo no emite duplicados."
    )

    def handle(self, *args, **options):
        pending = RegistryEntry.objects.filter(
            agreement__documents__kind="signed_copy", certificate__isnull=True
        ).distinct()
        issued = 0
        for entry_id in pending.values_list("pk", flat=True).iterator():
            registry_certificate_issue(entry_id=entry_id)
            issued += 1
        self.stdout.write(f"Constancias emitidas: {issued}")
