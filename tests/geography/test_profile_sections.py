"""The profile sections the apps register in their ``AppConfig.ready()`` (portal/geography/profiles.py)."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from agreements import profiles as agreements_section
from agreements.followup import profiles as followup_section
from cooperation import profiles as cooperation_section
from migrants import profiles as migrants_section
from portal.geography import profiles


def _section(**overrides):
    members = {
        "KEY": "test",
        "ORDER": 99,
        "COMPARISON_COLUMNS": [],
        "state_section": lambda state, user: {},
        "municipality_section": lambda municipality, user: {},
        "comparison_values": dict,
        "state_data": lambda state, request: {},
    }
    members.update(overrides)
    return SimpleNamespace(**{name: value for name, value in members.items() if value is not None})


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test (the apps' sections are put back afterwards)."""
    monkeypatch.setattr(profiles, "_sections", {})
    return profiles


def test_every_app_registers_its_section_in_page_order():
    assert profiles.registered_sections() == [
        migrants_section,
        cooperation_section,
        agreements_section,
        followup_section,
    ]
    assert all(isinstance(section, profiles.ProfileSection) for section in profiles.registered_sections())


def test_the_comparison_columns_have_unique_keys():
    keys = [key for section in profiles.registered_sections() for key, _label in section.COMPARISON_COLUMNS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("member", ["KEY", "ORDER", "COMPARISON_COLUMNS", "state_section", "state_data"])
def test_a_section_missing_a_member_is_refused(registry, member):
    with pytest.raises(ImproperlyConfigured, match=member):
        registry.register(_section(**{member: None}))
    assert registry.registered_sections() == []


def test_a_member_of_the_wrong_kind_is_refused(registry):
    with pytest.raises(ImproperlyConfigured, match="comparison_values"):
        registry.register(_section(comparison_values=[]))
    with pytest.raises(ImproperlyConfigured, match="ORDER"):
        registry.register(_section(ORDER="10"))


def test_two_sections_cannot_share_a_key_and_registering_again_is_harmless(registry):
    section = _section()
    registry.register(section)
    registry.register(section)  # ready() may run again (tests, reloads)
    with pytest.raises(ImproperlyConfigured, match="'test'"):
        registry.register(_section())
    assert registry.registered_sections() == [section]


def test_sections_are_read_in_order_not_in_registration_order(registry):
    late, early = _section(KEY="late", ORDER=2), _section(KEY="early", ORDER=1)
    registry.register(late)
    registry.register(early)
    assert registry.registered_sections() == [early, late]
