"""``registry`` migration 0003: the ``;``-joined ``theme_keys`` of entries written before it become JSON lists, and
the statistics triggers it reinstalls count them as before; reversed, the strings come back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from agreements.registry.models import RegistryEntry, RegistryStat

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("registry", "0002_registryentry_field_validators")
AFTER = ("registry", "0003_theme_keys_json_list")
WRITTEN = {"MIG-1": "health;migration", "MIG-2": "", "MIG-3": "culture"}


def _migrate(target):
    """Migrate to ``target`` (a fresh executor each time: it reads which migrations are applied)."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def _theme_counts() -> dict[str, int]:
    return dict(
        RegistryStat.objects.filter(state_code="", dimension="theme").exclude(entries=0).values_list("key", "entries")
    )


def _write_before(apps):
    """Entries as the code before the migration wrote them: through the historical model, keys ``;``-joined."""
    entry = apps.get_model("registry", "RegistryEntry")
    for number, keys in WRITTEN.items():
        entry.objects.create(
            registry_number=number,
            title="Acuerdo",
            kind="twinning",
            level="state",
            state_id="14",
            signing_office="Oficina",
            counterpart_name="Contraparte",
            counterpart_type="government",
            counterpart_country="ES",
            region="europe",
            signed_on="2020-01-01",
            registered_on="2020-02-01",
            source="import",
            theme_keys=keys,
        )


@pytest.fixture
def restored_schema():
    """Whatever happens, the test database ends on the latest migrations again."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_entries_written_before_the_migration_get_their_keys_as_lists_and_keep_their_counts(
    committed_reference_data, restored_schema
):
    _write_before(_migrate(BEFORE))
    counted_before = _theme_counts()
    assert counted_before == {"culture": 1, "health": 1, "migration": 1}

    _migrate(AFTER)
    stored = dict(RegistryEntry.objects.values_list("registry_number", "theme_keys"))
    assert stored == {"MIG-1": ["health", "migration"], "MIG-2": [], "MIG-3": ["culture"]}
    assert _theme_counts() == counted_before

    # The new triggers count a write of the list.
    RegistryEntry.objects.filter(registry_number="MIG-2").update(theme_keys=["culture", "trade"])
    RegistryEntry.objects.filter(registry_number="MIG-1").delete()
    assert _theme_counts() == {"culture": 2, "trade": 1}

    # Reversed: the joined strings again, counted by 0034's triggers.
    apps = _migrate(BEFORE)
    entry = apps.get_model("registry", "RegistryEntry")
    assert dict(entry.objects.values_list("registry_number", "theme_keys")) == {
        "MIG-2": "culture;trade",
        "MIG-3": "culture",
    }
    assert _theme_counts() == {"culture": 2, "trade": 1}
    entry.objects.filter(registry_number="MIG-3").update(theme_keys="health")
    assert _theme_counts() == {"culture": 1, "health": 1, "trade": 1}
