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
from .registry import *  # noqa: F403
