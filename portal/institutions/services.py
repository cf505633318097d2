"""Writes on accounts: API tokens (issued to accounts with TOTP, expiring, revoked by their owner) and access
requests (a self-registered person asks for an office and a role; an administrator of that scope decides, and the
person is told by e-mail in the language they used to ask, with the portal's name)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from knox.models import AuthToken

from portal.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from portal.core.queueing import on_commit

from .choices import AccessRequestStatus, Language, Role
from .mfa import user_may_hold_token
from .models import AccessRequest, Institution, User
from .permissions import user_can_decide_access_request
from .roles import group_for
from .selectors import pending_request_of


def user_language_set(*, user: User, language: str) -> bool:
    """Record ``language`` as the person's preferred language (their e-mail's); False when it is not one of the
    portal's or is already theirs."""
    language = (language or "").lower()
    if language not in Language.values or user.language == language:
        return False
    user.language = language
    user.save(update_fields=["language"])
    return True


def api_token_create(*, user) -> tuple[AuthToken, str]:
    """A new token for ``user`` and its secret (shown once: only a hash is stored).

    Only accounts with two-step verification get one, at most ``REST_KNOX["TOKEN_LIMIT_PER_USER"]`` alive.
    """
    if not user_may_hold_token(user):
        raise PermissionDenied(
            _("Para obtener un token de la API, configure primero la verificación en dos pasos."),
            code="mfa_required",
        )
    limit = settings.REST_KNOX["TOKEN_LIMIT_PER_USER"]
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one creation at a time per account
        AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
        if AuthToken.objects.filter(user=user).count() >= limit:
            raise Conflict(
                ngettext(
                    "Ya tiene %(limit)s token vigente: revóquelo antes de crear otro.",
                    "Ya tiene %(limit)s tokens vigentes: revoque uno antes de crear otro.",
                    limit,
                )
                % {"limit": limit},
                code="token_limit",
            )
        return AuthToken.objects.create(user=user, expiry=settings.REST_KNOX["TOKEN_TTL"])


def api_token_revoke(*, user, token_key: str) -> None:
    """Revoke one of ``user``'s own tokens; another person's token, or none, is a 404."""
    deleted, _counts = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    if not deleted:
        raise NotFound()


def access_request_submit(
    *,
    user: User,
    institution: Institution | None,
    new_institution_name: str,
    state,
    role: str,
    position: str,
    justification: str,
    language: str,
) -> AccessRequest:
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one request at a time per account
        if pending_request_of(user):
            raise Conflict(_("Ya tiene una solicitud de acceso pendiente; espere la respuesta."), code="pending")
        request = AccessRequest(
            user=user,
            institution=institution,
            new_institution_name=new_institution_name.strip(),
            state=state,
            role=role,
            position=position.strip(),
            justification=justification.strip(),
            language=language,
        )
        _full_clean(request)
        request.save()
    return request


def access_request_approve(*, reviewer: User, request_id: int, institution: Institution | None = None) -> AccessRequest:
    """The person joins the office (the one they chose, or one the administrator created for a new office)
    with the role they asked for."""
    with transaction.atomic():
        request = _locked_for(reviewer, request_id)
        office = institution or request.institution
        if office is None:
            raise ValidationFailed(
                _("Registre primero la dependencia nueva en la administración y elíjala aquí."),
                field_errors={"institution": [_("Elija la dependencia.")]},
            )
        user = request.user
        user.institution = office
        if request.position:
            user.position = request.position
        user.save(update_fields=["institution", "position"])
        user.groups.add(group_for(Role(request.role)))
        request.institution = office
        _decide(request, reviewer, AccessRequestStatus.APPROVED, reason="")
    _tell(request)
    return request


def access_request_reject(*, reviewer: User, request_id: int, reason: str) -> AccessRequest:
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": [_("Explique a la persona por qué se rechaza.")]})
    with transaction.atomic():
        request = _locked_for(reviewer, request_id)
        _decide(request, reviewer, AccessRequestStatus.REJECTED, reason=reason.strip())
    _tell(request)
    return request


def _locked_for(reviewer, request_id) -> AccessRequest:
    request = (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("user", "institution")
        .filter(pk=request_id)
        .first()
    )
    if request is None or not user_can_decide_access_request(reviewer, request):
        raise NotFound()
    if request.status != AccessRequestStatus.PENDING:
        raise Conflict(_("Otra persona ya decidió esta solicitud."), code="already_decided")
    return request


def _decide(request, reviewer, status, *, reason) -> None:
    request.status = status
    request.decided_by = reviewer
    request.decided_at = timezone.now()
    request.reason = reason
    _full_clean(request)
    request.save()


def _full_clean(request) -> None:
    try:
        request.full_clean(exclude=["user", "decided_by"])
    except ValidationError as exc:
        raise ValidationFailed(field_errors=exc.message_dict) from exc


def _tell(request: AccessRequest) -> None:
    """E-mail the decision once the transaction commits, in the language of the request."""
    kind = "approved" if request.status == AccessRequestStatus.APPROVED else "rejected"

    def send():
        with translation.override(request.language):
            context = {
                "request": request,
                "role": Role(request.role).label,
                "portal_name": _("Portal de Acuerdos Interinstitucionales"),
                "portal_url": settings.PORTAL_BASE_URL,
            }
            subject = render_to_string(f"institutions/emails/access_request_{kind}_subject.txt", context)
            body = render_to_string(f"institutions/emails/access_request_{kind}_body.txt", context)
        send_mail(
            settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
            body,
            settings.DEFAULT_FROM_EMAIL,
            [request.user.email],
        )

    on_commit(send)
