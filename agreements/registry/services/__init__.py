"""Writes of the public registry: publication from the workflow (``publish``), the RAII import and expiry
reminders (``entries``), the statistics summary and terminations. (Queued imports and exports: ``jobs``.)"""

from .certificates import registry_certificates_catch_up
from .entries import (
    IMPORT_COLUMNS,
    ImportReport,
    RowError,
    registry_certificate_issue,
    registry_expiry_reminders,
    registry_import,
)
from .publish import registry_publish
from .stats import registry_stats_deferred, registry_stats_rebuild
from .terminations import termination_confirm, termination_request, termination_return

__all__ = [
    "IMPORT_COLUMNS",
    "ImportReport",
    "RowError",
    "registry_certificate_issue",
    "registry_certificates_catch_up",
    "registry_expiry_reminders",
    "registry_import",
    "registry_publish",
    "registry_stats_deferred",
    "registry_stats_rebuild",
    "termination_confirm",
    "termination_request",
    "termination_return",
]
