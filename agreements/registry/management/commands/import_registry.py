from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.registry.services import registry_import


class Command(BaseCommand):
    help = (
        "Importa el registro de AII desde un CSV UTF-8. Valida todas las filas antes de escribir; "
        "si alguna es inválida no escribe nada. Reimportar el mismo archivo no cambia nada."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Solo validar; no escribir.")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"No se pudo leer {file}: {exc.strerror}") from None

        def progress(done, total):
            if options["verbosity"] > 1:
                self.stdout.write(f"{done}/{total}")

        report = registry_import(content=content, dry_run=dry_run, progress=progress)
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(report.errors)} error(es); no se escribió nada.")
        verb = "se crearían" if dry_run else "creados"
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.total} filas válidas: {report.created} {verb}, {report.updated} actualizados, "
                f"{report.unchanged} sin cambios." + (" (simulación: nada se escribió)" if dry_run else "")
            )
        )
