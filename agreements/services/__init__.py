"""Writes of the agreements app: case transitions (``cases``) and the public registry (``registry``)."""

from .cases import *  # noqa: F403
from .cases import AGREEMENT_FIELDS, AUTOMATIC_HANDLERS, DOCUMENT_RULES, non_working_days, today  # noqa: F401
from .registry import *  # noqa: F403
