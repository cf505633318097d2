"""Reads of the agreements app: cases (``cases``) and the public registry (``registry``)."""

from .cases import *  # noqa: F403
from .registry import *  # noqa: F403
