"""Reads of the agreements app: cases (``cases``), the public registry (``registry``), status by folio (``lookup``)."""

from .cases import *  # noqa: F403
from .lookup import *  # noqa: F403
from .registry import *  # noqa: F403
