"""A self-registered person asks for an office and a role; an administrator of that scope decides; the person
is told by e-mail, in *usted*, with the portal's name — never a host name."""

import pytest
from django.core import mail
from django.urls import reverse

from portal.core.exceptions import Conflict, ValidationFailed
from portal.institutions import services
from portal.institutions.choices import AccessRequestStatus, Level, Role
from portal.institutions.models import AccessRequest, Institution, User
from portal.institutions.roles import group_for
from tests.factories import InstitutionFactory, MunicipalInstitutionFactory, UserFactory, admin_user, analyst

pytestmark = pytest.mark.django_db


def _newcomer(**kwargs):
    return UserFactory(role=Role.ANALYST, first_name="Lucía", last_name="Ramos", **kwargs)


def _ask(client, user, **data):
    client.force_login(user)
    return client.post(
        reverse("institutions:access_request"),
        {
            "role": Role.LOCAL,
            "position": "Enlace internacional",
            "justification": "Registrar un hermanamiento.",
            **data,
        },
    )


@pytest.mark.parametrize(
    ("language", "greeting", "portal"),
    [
        ("es-mx", "Le saluda el Portal de Acuerdos Interinstitucionales.", "Portal de Acuerdos Interinstitucionales"),
        ("en", "Greetings from the Inter-institutional Agreements Portal.", "Inter-institutional Agreements Portal"),
    ],
)
def test_the_signup_confirmation_names_the_portal_and_speaks_usted(client, language, greeting, portal):
    client.post(
        reverse("account_signup"),
        {
            "email": f"nueva.{language}@example.org",
            "password1": "Cooperacion-Local-2026",
            "password2": "Cooperacion-Local-2026",
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )
    message = mail.outbox[-1]
    assert message.body.startswith(greeting)
    assert portal in message.body
    for wrong in ("testserver", "127.0.0.1", "Hola de parte", "vete a", "Hello from"):
        assert wrong not in message.body.split("http")[0], wrong  # the link may carry the host; the words never
    if language == "es-mx":
        assert "Recibe este mensaje" in message.body and "Confirme su dirección" in message.subject


def test_an_account_without_an_office_is_shown_how_to_get_access_instead_of_a_bare_403(client):
    client.force_login(_newcomer())
    response = client.get(reverse("agreements:agreement_create"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Su cuenta aún no tiene acceso a esta sección" in html
    assert reverse("institutions:access_request") in html
    assert reverse("institutions:access_request") in client.get("/").content.decode()


def test_asking_for_an_office_and_role_then_approval_lets_the_person_file(client, django_capture_on_commit_callbacks):
    office = InstitutionFactory(state_id="14")
    person = _newcomer()
    response = _ask(client, person, institution=office.pk)
    assert response.status_code == 302
    request = AccessRequest.objects.get(user=person)
    assert request.status == AccessRequestStatus.PENDING and request.institution == office
    assert "Su solicitud está en revisión" in client.get(reverse("institutions:access_request")).content.decode()
    _ask(client, person, institution=office.pk)
    assert AccessRequest.objects.filter(user=person).count() == 1

    reviewer = admin_user()
    client.force_login(reviewer)
    queue = client.get(reverse("institutions:access_request_queue")).content.decode()
    assert person.email in queue and office.name in queue
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("institutions:access_request_decide", args=[request.pk]), {"decision": "approve"})

    person.refresh_from_db()
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.APPROVED and request.decided_by == reviewer
    assert person.institution == office and Role.LOCAL in person.roles
    message = mail.outbox[-1]
    assert message.to == [person.email]
    assert (
        "Portal de Acuerdos Interinstitucionales" in message.body
        and "Ya puede trabajar como Enlace local" in message.body
    )
    assert "testserver" not in message.body.split("http")[0]
    client.force_login(person)
    assert client.get(reverse("agreements:agreement_create")).status_code == 200


def test_a_new_office_needs_its_state_and_is_chosen_by_the_administrator_on_approval(client):
    person = _newcomer()
    response = _ask(client, person, new_institution_name="Dirección de Asuntos Internacionales de Zapopan")
    assert response.status_code == 200
    assert "Indique la entidad de la dependencia nueva." in response.content.decode()
    _ask(client, person, new_institution_name="Dirección de Asuntos Internacionales de Zapopan", state="14")
    request = AccessRequest.objects.get(user=person)
    reviewer = admin_user()
    with pytest.raises(ValidationFailed):
        services.access_request_approve(reviewer=reviewer, request_id=request.pk)
    created = Institution.objects.create(
        name="Dirección de Asuntos Internacionales de Zapopan",
        level=Level.MUNICIPAL,
        state_id="14",
        municipality_id="14120",
    )
    services.access_request_approve(reviewer=reviewer, request_id=request.pk, institution=created)
    person.refresh_from_db()
    assert person.institution == created


def test_rejection_needs_a_reason_and_tells_the_person_in_the_language_they_asked(
    client, django_capture_on_commit_callbacks
):
    person = _newcomer()
    client.force_login(person)
    client.post(
        reverse("institutions:access_request"),
        {
            "institution": InstitutionFactory().pk,
            "role": Role.LOCAL,
            "position": "Analista",
            "justification": "Trabajo.",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    request = AccessRequest.objects.get(user=person)
    assert request.language == "en"
    reviewer = admin_user()
    with pytest.raises(ValidationFailed):
        services.access_request_reject(reviewer=reviewer, request_id=request.pk, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.access_request_reject(
            reviewer=reviewer, request_id=request.pk, reason="No trabaja en esa dependencia."
        )
    message = mail.outbox[-1]
    assert "Inter-institutional Agreements Portal" in message.body and "No trabaja en esa dependencia." in message.body
    with pytest.raises(Conflict):
        services.access_request_approve(reviewer=reviewer, request_id=request.pk)


def test_a_state_administrator_decides_only_the_requests_of_their_state(client):
    jalisco_admin = UserFactory(institution=InstitutionFactory(state_id="14"), is_staff=True, role=Role.ADMIN)
    in_jalisco = _newcomer()
    in_chiapas = _newcomer()
    services.access_request_submit(
        user=in_jalisco,
        institution=InstitutionFactory(state_id="14"),
        new_institution_name="",
        state=None,
        role=Role.LOCAL,
        position="Enlace",
        justification="Trabajo.",
        language="es-mx",
    )
    chiapas = services.access_request_submit(
        user=in_chiapas,
        institution=MunicipalInstitutionFactory(),
        new_institution_name="",
        state=None,
        role=Role.LOCAL,
        position="Enlace",
        justification="Trabajo.",
        language="es-mx",
    )
    client.force_login(jalisco_admin)
    queue = client.get(reverse("institutions:access_request_queue")).content.decode()
    assert in_jalisco.email in queue and in_chiapas.email not in queue
    response = client.post(reverse("institutions:access_request_decide", args=[chiapas.pk]), {"decision": "approve"})
    assert response.status_code == 404
    chiapas.refresh_from_db()
    assert chiapas.status == AccessRequestStatus.PENDING


def test_only_administrators_open_the_queue(client):
    client.force_login(analyst())
    assert client.get(reverse("institutions:access_request_queue")).status_code == 403


def test_administrators_role_cannot_be_requested(client):
    person = _newcomer()
    response = _ask(client, person, institution=InstitutionFactory().pk, role=Role.ADMIN)
    assert response.status_code == 200
    assert not AccessRequest.objects.exists()
    assert not person.groups.filter(pk=group_for(Role.ADMIN).pk).exists()
    assert User.objects.get(pk=person.pk).institution is None
