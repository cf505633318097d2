import pytest
from django.core.management import call_command

from agreements.models import Agreement, TimelineEvent
from agreements.registry.models import RegistryEntry
from agreements.registry.selectors import registered_agreements
from cooperation.models import FocalPoint
from portal.institutions.models import Institution, User

pytestmark = pytest.mark.django_db


def _counts():
    return {
        m.__name__: m.objects.count() for m in (User, Institution, Agreement, TimelineEvent, RegistryEntry, FocalPoint)
    }


def test_demo_data_is_marked_and_loading_twice_changes_nothing():
    call_command("load_demo_data", verbosity=0)
    first = _counts()
    call_command("load_demo_data", verbosity=0)
    assert _counts() == first
    assert User.objects.filter(email__endswith="@demo.mx").count() == 10
    assert not User.objects.filter(email__endswith="@demo.mx", is_demo=False).exists()
    assert set(Agreement.objects.values_list("is_demo", flat=True)) == {True}
    assert set(Agreement.objects.values_list("status", flat=True)) == {
        "draft",
        "in_review",
        "dictamen_issued",
        "awaiting_signature",
        "closed",
    }
    assert not Institution.objects.filter(is_demo=True).exclude(name__contains="(demo)").exists()
    # The agreement's whole life: one demo entry in force, one terminated by its office and the CJA.
    statuses = dict(registered_agreements().filter(agreement__is_demo=True).values_list("agreement__title", "status"))
    assert statuses["Convenio universitario marco con la Universidad de Salamanca (demo)"] == "in_force"
    assert statuses["Acuerdo de salud fronteriza con la Municipalidad de Ayutla, Tecún Umán (demo)"] == "terminated"
    # …and one extended: the extension is inscribed against the original, whose validity follows it.
    salamanca = RegistryEntry.objects.get(agreement__title__startswith="Convenio universitario marco")
    extension = salamanca.amendments.get()
    assert extension.kind == "extension" and salamanca.expires_on == extension.expires_on
    assert not RegistryEntry.objects.filter(agreement__title__startswith="Prórroga").exists()


def test_the_demo_offices_have_a_head_and_two_reviewers_each():
    from agreements.permissions import HEAD_PERMISSIONS, is_head, person_of
    from agreements.workflow import Actor

    call_command("load_demo_data", verbosity=0)
    for office, prefix in ((Actor.CJA, "cja"), (Actor.DGCP, "dgcp")):
        head = person_of(User.objects.get(email=f"titular.{prefix}@demo.mx"))
        assert is_head(head, office) and HEAD_PERMISSIONS[office] in head.perms
        for email in (f"{prefix}@demo.mx", f"{prefix}2@demo.mx"):
            member = person_of(User.objects.get(email=email))
            assert office in member.offices and not is_head(member, office)


@pytest.mark.parametrize("command", ["load_demo_data", "demo_accounts"])
def test_production_refuses_demo_data_and_accounts(settings, command):
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    before = _counts()
    with pytest.raises(CommandError, match="producción"):
        call_command(command, verbosity=0)
    assert _counts() == before
    assert not User.objects.filter(is_demo=True).exists()


def test_demo_accounts_are_exempt_from_mfa_only_outside_production(settings):
    from portal.institutions.mfa import user_requires_mfa
    from tests.factories import dgcp_reviewer

    demo_reviewer = dgcp_reviewer(is_demo=True)
    assert not user_requires_mfa(demo_reviewer)
    settings.PRODUCTION = True
    assert user_requires_mfa(demo_reviewer)
