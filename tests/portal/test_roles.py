import pytest
from django.contrib.auth.models import Group

from portal.institutions.choices import Role
from portal.institutions.roles import GROUP_NAMES, ROLE_PERMISSIONS, sync_roles
from tests.factories import admin_user, analyst, cja_reviewer, dgcp_reviewer, local_official

pytestmark = pytest.mark.django_db


def test_each_role_is_a_group_with_exactly_its_permissions():
    for role, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=GROUP_NAMES[role])
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert granted == set(perms), role


def test_sync_roles_is_idempotent():
    first = {g.name: g.permissions.count() for g in Group.objects.all()}
    sync_roles()
    assert {g.name: g.permissions.count() for g in Group.objects.all()} == first


@pytest.mark.parametrize(
    ("make_user", "allowed", "denied"),
    [
        (
            local_official,
            {"agreements.file_agreement"},
            {"agreements.issue_dictamen", "agreements.approve_dictamen", "agreements.view_all_agreements"},
        ),
        (
            dgcp_reviewer,
            {"agreements.approve_dictamen", "agreements.view_all_agreements"},
            {"agreements.issue_dictamen", "agreements.file_agreement"},
        ),
        (
            cja_reviewer,
            {"agreements.issue_dictamen", "agreements.register_agreement"},
            {"agreements.approve_dictamen", "agreements.file_agreement"},
        ),
        (analyst, {"registry.view_registryentry"}, {"agreements.view_agreement", "agreements.file_agreement"}),
    ],
)
def test_role_permissions(make_user, allowed, denied):
    user = make_user()
    assert all(user.has_perm(p) for p in allowed)
    assert not any(user.has_perm(p) for p in denied)


def test_roles_are_read_from_groups():
    assert local_official().roles == {Role.LOCAL}
    assert admin_user().has_role(Role.ADMIN)


def test_the_cached_navigation_follows_each_visitors_role_and_language(client):
    from django.urls import reverse

    from tests.factories import dgcp_reviewer

    home = reverse("core:home")
    assert "Bandeja DGCP" not in client.get(home).content.decode()  # anonymous first: its nav is cached
    client.force_login(dgcp_reviewer())
    assert "Bandeja DGCP" in client.get(home).content.decode()
    client.logout()
    html = client.get(home).content.decode()
    assert "Bandeja DGCP" not in html and "Iniciar sesión" in html
    english = client.get(home, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Public registry" in english and "Registro público</a>" not in english
