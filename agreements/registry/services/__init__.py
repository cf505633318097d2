"""Writes of the public registry: publication from the workflow (``publish``), the RAII import and expiry
reminders (``entries``), exports, the statistics summary and terminations."""

from .entries import (
    IMPORT_COLUMNS,
    ImportReport,
    RowError,
    import_job_run,
    import_job_start,
    registry_certificate_issue,
    registry_expiry_reminders,
    registry_import,
)
from .exports import ExportsBusy, export_job_run, export_job_start, export_jobs_housekeeping, export_params
from .publish import registry_publish
from .stats import registry_stats_deferred, registry_stats_rebuild
from .terminations import termination_confirm, termination_request, termination_return

__all__ = [
    "ExportsBusy",
    "IMPORT_COLUMNS",
    "ImportReport",
    "RowError",
    "export_job_run",
    "export_job_start",
    "export_jobs_housekeeping",
    "export_params",
    "import_job_run",
    "import_job_start",
    "registry_certificate_issue",
    "registry_expiry_reminders",
    "registry_import",
    "registry_publish",
    "registry_stats_deferred",
    "registry_stats_rebuild",
    "termination_confirm",
    "termination_request",
    "termination_return",
]
