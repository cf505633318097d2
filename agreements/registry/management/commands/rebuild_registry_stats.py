from django.core.management.base import BaseCommand

from agreements.registry.services import registry_stats_rebuild


class Command(BaseCommand):
    help = (
        "Vuelve a contar desde el registro el resumen del que se leen las estadísticas públicas (la base de datos "
        "lo mantiene en cada escritura; esto es para una copia restaurada sin él o con los disparadores "
        "desactivados). Se puede ejecutar cuantas veces se quiera: el resultado es el mismo."
    )

    def handle(self, *args, **options):
        rows = registry_stats_rebuild()
        self.stdout.write(f"Resumen de estadísticas del registro: {rows} filas.")
