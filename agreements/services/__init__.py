"""Writes of the agreements app: case transitions (``cases``) and the public registry (``registry``)."""

from .cases import *  # noqa: F403
from .cases import (  # noqa: F401
    AGREEMENT_FIELDS,
    AUTOMATIC_HANDLERS,
    DOCUMENT_RULES,
    FILER_DOCUMENT_KINDS,
    non_working_days,
    today,
)
from .exports import (  # noqa: F401
    ExportsBusy,
    export_job_run,
    export_job_start,
    export_jobs_housekeeping,
    export_params,
)
from .registry import *  # noqa: F403
from .reviewers import *  # noqa: F403
from .reviewers import office_members  # noqa: F401
from .stats import *  # noqa: F403
from .terminations import *  # noqa: F403
