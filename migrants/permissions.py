"""Who may change a migrant-attention office: its own staff (and administrators)."""


def user_can_edit_office(user, office) -> bool:
    if not user.is_authenticated or not user.has_perm("migrants.change_migrantoffice"):
        return False
    return user.is_superuser or user.institution_id == office.institution_id
