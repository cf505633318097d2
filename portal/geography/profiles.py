"""The sections of the state and municipal profiles, which the apps contribute.

Each app writes its section as a module (or an object) with the members of ``ProfileSection`` and registers it
in its ``AppConfig.ready()``; the profile pages, the handover report, the 32-state comparison and the state API
read the registered sections in ``ORDER``. The portal never imports the apps: they register themselves.
"""

from __future__ import annotations

import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, get_origin, get_type_hints, runtime_checkable

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from portal.core.commitcache import bump_versions_on_commit
from portal.core.pagecache import bump_version

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import Municipality, State

__all__ = [
    "PROFILES_VERSION_KEY",
    "ProfileSection",
    "cached_section_data",
    "model_written",
    "profiles_changed",
    "profiles_version",
    "register",
    "registered_sections",
]


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
# The apps whose models the profiles show: the geography, the institutions (names of offices), and each app that
# contributes a section (added by ``register``).
_shown_apps: set[str] = {"geography", "institutions"}
PROFILES_VERSION_KEY = "profiles:version"
# How long a section's data is kept: it is unreachable as soon as the profiles' version moves (a write to what they
# show) or the day ends; the lifetime only bounds what an unversioned change (a bulk ``update()``) leaves stale.
SECTION_CACHE_SECONDS = 15 * 60


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
    module = section.__name__ if isinstance(section, types.ModuleType) else type(section).__module__
    app = apps.get_containing_app_config(module)
    if app is not None:  # a section outside every app has no models of its own to watch
        _shown_apps.add(app.label)


def registered_sections() -> list[ProfileSection]:
    """The sections in ``ORDER``."""
    return sorted(_sections.values(), key=lambda section: (section.ORDER, section.KEY))


def profiles_version() -> int:
    """Part of the key of every cached profile page (``portal.core.pagecache``): bumped after a write to what the
    profiles show."""
    return cache.get_or_set(PROFILES_VERSION_KEY, 1, None)


def cached_section_data(section: str, government, compute, *, variant: str = ""):
    """``compute()``, what a section reads of ``government`` whatever the reader (its lists and figures, not what
    the reader may do with them), kept in the cache under the profiles' version and today's date, as the cached
    profile pages are: the statements are run by the first reader after a change, not by every reader (signed-in
    ones included, whom the page cache never serves). The version is read before ``compute()``: data read while a
    write commits is stored under the version that write leaves behind, never served after it."""
    today = timezone.localdate().isoformat()
    key = f"profile-section:{profiles_version()}:{today}:{section}:{government.kind}:{government.code}:{variant}"
    data = cache.get(key)
    if data is None:
        data = compute()
        cache.set(key, data, SECTION_CACHE_SECONDS)
    return data


def profiles_changed() -> None:
    """The profiles' data changed: no cached profile page is served again. Model writes call it through
    ``model_written``; an app calls it for writes that send no model signal (the registry's bulk import)."""
    bump_version(PROFILES_VERSION_KEY)


def model_written(sender, **kwargs) -> None:
    """Receiver of ``post_save``, ``post_delete`` and ``m2m_changed`` (connected by the app's ``ready()``): a write to
    a model of an app the profiles show bumps their version once its transaction commits (a page built before the
    commit is not stored under the new version), with the other versions the transaction bumps
    (``bump_versions_on_commit``: once however many rows it writes)."""
    if kwargs.get("action", "post_").startswith("post_") and sender._meta.app_label in _shown_apps:
        bump_versions_on_commit(PROFILES_VERSION_KEY)
