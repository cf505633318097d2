"""Reads of the agreements app: cases (``cases``), the public registry (``registry``), status by folio (``lookup``),
the registry's changes (``changes``)."""

from .cases import *  # noqa: F403
from .changes import *  # noqa: F403
from .lookup import *  # noqa: F403
from .registry import *  # noqa: F403
