"""Roles as Django groups with explicit permissions: the one table that grants them."""

from django.contrib.auth.models import Group, Permission

from .choices import Role

GROUP_NAMES = {
    Role.LOCAL: "Enlace local",
    Role.DGCP: "DGCP",
    Role.CJA: "CJA",
    Role.ANALYST: "Analista",
    Role.ADMIN: "Administrador",
    Role.CJA_HEAD: "Titular de la CJA",
    Role.DGCP_HEAD: "Titular de la DGCP",
}
_ROLE_BY_GROUP = {name: role for role, name in GROUP_NAMES.items()}

_READ_REFERENCE = ["geography.view_state", "geography.view_municipality", "institutions.view_institution"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.LOCAL: [
        *_READ_REFERENCE,
        "agreements.view_agreement",
        "agreements.file_agreement",
        "agreements.request_termination",
        "migrants.change_migrantoffice",
        "cooperation.add_focalpoint",
        "cooperation.change_focalpoint",
    ],
    Role.DGCP: [
        *_READ_REFERENCE,
        "agreements.view_agreement",
        "agreements.view_all_agreements",
        "agreements.approve_dictamen",
        "agreements.return_agreement",
        "followup.view_all_followup",
    ],
    Role.CJA: [
        *_READ_REFERENCE,
        "agreements.view_agreement",
        "agreements.view_all_agreements",
        "agreements.issue_dictamen",
        "agreements.register_agreement",
        "agreements.return_agreement",
        "agreements.confirm_termination",
        "followup.view_all_followup",
    ],
    Role.ANALYST: [*_READ_REFERENCE, "registry.view_registryentry", "followup.view_all_followup"],
    # Held together with the office's role (a head is also a member of the office).
    Role.CJA_HEAD: ["agreements.assign_cja_reviewer"],
    Role.DGCP_HEAD: ["agreements.assign_dgcp_reviewer"],
    Role.ADMIN: [
        *_READ_REFERENCE,
        "geography.change_state",
        "geography.change_municipality",
        "institutions.add_institution",
        "institutions.change_institution",
        "institutions.add_user",
        "institutions.change_user",
        "institutions.view_user",
        "knox.view_authtoken",
        "knox.delete_authtoken",
        "agreements.view_agreement",
        "agreements.view_all_agreements",
        "agreements.add_nonworkingday",
        "agreements.change_nonworkingday",
        "agreements.delete_nonworkingday",
        "agreements.view_nonworkingday",
        "agreements.import_registry",
        "followup.view_all_followup",
        "audit.view_auditevent",
        "migrants.change_migrantoffice",
        "migrants.change_migrationprofile",
        "cooperation.add_partnership",
        "cooperation.change_partnership",
        "cooperation.add_focalpoint",
        "cooperation.change_focalpoint",
        "cooperation.add_governmentterm",
        "cooperation.change_governmentterm",
    ],
}


def role_for_group(name: str) -> Role | None:
    return _ROLE_BY_GROUP.get(name)


def group_for(role: Role) -> Group:
    return Group.objects.get(name=GROUP_NAMES[role])


def sync_roles() -> dict[str, int]:
    """Create the groups and set exactly the permissions listed above (idempotent)."""
    wanted = {p for perms in ROLE_PERMISSIONS.values() for p in perms}
    found = {
        f"{app}.{codename}": pk
        for pk, app, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
    }
    missing = sorted(p for p in wanted if p not in found)
    if missing:
        raise LookupError(f"Permissions not found (run migrate first): {', '.join(missing)}")
    counts = {}
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
        group.permissions.set([found[p] for p in perms])
        counts[GROUP_NAMES[role]] = len(perms)
    return counts
