"""The sections of the state and municipal profiles, which the apps contribute.

Each app writes its section as a module (or an object) with the members of ``ProfileSection`` and registers it
in its ``AppConfig.ready()``; the profile pages, the handover report, the 32-state comparison and the state API
read the registered sections in ``ORDER``. The portal never imports the apps: they register themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, get_origin, get_type_hints, runtime_checkable

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import Municipality, State

__all__ = ["ProfileSection", "register", "registered_sections"]


@runtime_checkable
class ProfileSection(Protocol):
    """What a section of the profiles provides."""

    KEY: str  # unique among the sections ("migrants", "agreements", …)
    ORDER: int  # where the section goes on the pages, and its columns in the comparison (lowest first)
    # The section's columns in the 32-state comparison: ``(key, label)``; keys are unique across the sections.
    COMPARISON_COLUMNS: Sequence[tuple[str, str]]

    def state_section(self, state: State, user, *, complete: bool = False) -> dict:
        """The section's context on a state's page: ``template`` (the include that renders it, as ``s``),
        ``government`` and whatever that template reads, limited to what ``user`` may see. ``complete`` (the
        printable handover): the lists a new administration inherits in full, where the page shows their
        first ones."""

    def municipality_section(self, municipality: Municipality, user, *, complete: bool = False) -> dict:
        """The same for a municipality's page."""

    def comparison_values(self) -> dict[str, dict]:
        """``{state code: {column key: value}}`` for the comparison (None where the sources say nothing)."""

    def state_data(self, state: State, request: HttpRequest) -> dict:
        """The section's keys in the state's API detail (``/api/…/states/<code>/``)."""


# The members ``register`` checks, read from the protocol: its annotated attributes and their types, its methods.
_ATTRIBUTES = {name: get_origin(hint) or hint for name, hint in get_type_hints(ProfileSection).items()}
_METHODS = [name for name, value in vars(ProfileSection).items() if callable(value) and not name.startswith("_")]

_sections: dict[str, ProfileSection] = {}


def register(section) -> None:
    """Add an app's section (called from its ``AppConfig.ready()``). A section that lacks a member, or a second
    section under a key already taken, stops the start with ``ImproperlyConfigured``."""
    name = getattr(section, "__name__", repr(section))
    missing = [member for member in (*_ATTRIBUTES, *_METHODS) if not hasattr(section, member)]
    wrong = [
        member
        for member, kind in _ATTRIBUTES.items()
        if member not in missing and not isinstance(getattr(section, member), kind)
    ] + [member for member in _METHODS if member not in missing and not callable(getattr(section, member))]
    if missing or wrong:
        raise ImproperlyConfigured(
            f"The profile section {name} does not provide ProfileSection: "
            f"missing {missing or 'nothing'}, of the wrong kind {wrong or 'nothing'}."
        )
    registered = _sections.get(section.KEY)
    if registered is not None and registered is not section:
        raise ImproperlyConfigured(f"Two profile sections use the key {section.KEY!r}: {registered!r} and {name}.")
    _sections[section.KEY] = section


def registered_sections() -> list[ProfileSection]:
    """The sections in ``ORDER``."""
    return sorted(_sections.values(), key=lambda section: (section.ORDER, section.KEY))
