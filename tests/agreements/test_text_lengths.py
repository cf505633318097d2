"""Free text is bounded everywhere: models, forms and request bodies; longer text is a 400 and saves nothing.

A 4.9 MB urgency reason used to be stored. The introspection tests below find any text field, form field or
request-body string of the project that has no bound, including ones added later.
"""

import contextlib
import importlib
import json

import pytest
from django import forms
from django.apps import apps
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from agreements import services
from agreements.choices import Status
from agreements.models import Agreement, Dictamen, TimelineEvent
from portal.core.exceptions import ValidationFailed
from portal.core.limits import NOTE
from tests.cases import CASE_DATA
from tests.factories import future_date

PROJECT_APPS = ("agreements", "migrants", "cooperation", "portal")

# Text the portal writes itself, never typed by a person; each with the reason it need not be bounded.
NOT_TYPED = {
    ("agreements", "document", "extracted_text"): "read by the portal from an uploaded file of bounded size",
    ("notifications", "notification", "body"): "composed by the portal from templates and bounded inputs",
    ("cooperation", "historicalfocalpoint", "designation_document"): "a stored file's path, copied by the history",
    ("registry", "historicaltermination", "notice_letter"): "a stored file's path, copied by the history",
}


def _project_models():
    for model in apps.get_models():
        if model.__module__.split(".")[0] in PROJECT_APPS:
            yield model


def test_every_text_field_of_every_model_is_bounded():
    unbounded = []
    for model in _project_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField) or not field.editable:
                continue
            if (model._meta.app_label, model._meta.model_name, field.name) in NOT_TYPED:
                continue
            if (
                getattr(model, "instance_type", None) is not None
                and (
                    model.instance_type._meta.app_label,
                    model.instance_type._meta.model_name,
                    field.name,
                )
                in NOT_TYPED
            ):
                continue  # a history table mirrors its model's exemption
            validated = any(isinstance(v, MaxLengthValidator) for v in field.validators)
            if not field.max_length or not validated:
                unbounded.append(f"{model._meta.label}.{field.name}")
    assert not unbounded, (
        f"Unbounded free text: {unbounded}. Use portal.core.limits.bounded_text_field(…, max_length=…)."
    )


def _project_forms():
    for app in (
        "agreements",
        "agreements.registry",
        "migrants",
        "cooperation",
        "portal.notifications",
        "portal.institutions",
    ):
        with contextlib.suppress(ModuleNotFoundError):
            importlib.import_module(f"{app}.forms")
    seen, stack = set(), [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return [f for f in seen if f.__module__.split(".")[0] in PROJECT_APPS]


def test_the_project_forms_are_found():
    names = {f.__name__ for f in _project_forms()}
    assert {"AgreementForm", "DictamenForm", "ReasonForm", "MigrantOfficeForm", "FocalPointForm"} <= names


def test_every_text_input_of_every_form_is_bounded():
    unbounded = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _project_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField) and not field.max_length
    ]
    assert not unbounded, f"Form text inputs without max_length: {unbounded}"


def _unbounded_in(schema: dict, where: str, components: dict, seen: set) -> list[str]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
        return _unbounded_in(components[name], name, components, seen)
    found = []
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            found += _unbounded_in(part, where, components, seen)
    if schema.get("readOnly"):
        return found
    kind = schema.get("type")
    if kind == "string" and "enum" not in schema and schema.get("format") not in ("date", "date-time", "binary"):
        if "maxLength" not in schema:
            found.append(where)
    elif kind == "array":
        if "maxItems" not in schema:
            found.append(where)
        found += _unbounded_in(schema.get("items", {}), f"{where}[]", components, seen)
    for name, prop in schema.get("properties", {}).items():
        found += _unbounded_in(prop, f"{where}.{name}", components, seen)
    return found


def test_every_string_and_list_in_every_request_body_is_bounded():
    """Read from the OpenAPI schema, so an input serializer added anywhere is checked too."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    unbounded, bodies = [], 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
                bodies += 1
                where = f"{method.upper()} {path} ({media_type})"
                unbounded += _unbounded_in(content["schema"], where, components, set())
    assert bodies > 20
    assert not unbounded, f"Unbounded request-body strings or lists: {sorted(set(unbounded))}"


# --- refusals ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "message"),
    [("es-mx", "no tenga más de 2000 caracteres"), ("en", "no more than 2000 characters")],
)
def test_the_api_refuses_a_long_urgency_reason_and_saves_nothing(client, local, language, message):
    client.force_login(local)
    body = {**CASE_DATA, "intended_signing_date": future_date(40).isoformat(), "urgency_reason": "x" * (NOTE + 1)}
    response = client.post("/api/v1/agreements/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert message in response.json()["errors"]["urgency_reason"][0]
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_the_api_accepts_a_reason_at_the_bound(client, local):
    client.force_login(local)
    body = {**CASE_DATA, "intended_signing_date": future_date(40).isoformat(), "urgency_reason": "x" * NOTE}
    response = client.post("/api/v1/agreements/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert len(Agreement.objects.get().urgency_reason) == NOTE


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_a_body_of_megabytes_is_refused_before_it_is_read(client, local, content_type):
    """The audit's 4.9 MB urgency reason: past DATA_UPLOAD_MAX_MEMORY_SIZE the API answers 400 in its shape."""
    client.force_login(local)
    reason = "x" * 4_900_000
    data = {**CASE_DATA, "intended_signing_date": future_date(40).isoformat(), "urgency_reason": reason}
    if content_type == "application/json":
        body = json.dumps(data)
    else:
        body = "&".join(f"{k}={v}" for k, v in data.items() if not isinstance(v, list))
    response = client.post("/api/v1/agreements/", body, content_type=content_type)
    assert response.status_code == 400
    assert response.json()["code"] == "request_too_large"
    assert "1024 KB" in response.json()["detail"]
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_an_html_form_of_megabytes_is_a_400(client, local):
    client.force_login(local)
    data = {**CASE_DATA, "intended_signing_date": future_date(40).isoformat(), "urgency_reason": "x" * 2_000_000}
    response = client.post(reverse("agreements:agreement_create"), data)
    assert response.status_code == 400
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_the_filing_form_shows_the_bound_and_refuses_longer_text(client, local):
    client.force_login(local)
    page = client.get(reverse("agreements:agreement_create")).content.decode()
    assert 'maxlength="2000"' in page and 'name="urgency_reason"' in page
    data = {**CASE_DATA, "intended_signing_date": future_date(40).isoformat(), "urgency_reason": "x" * (NOTE + 1)}
    response = client.post(reverse("agreements:agreement_create"), data)
    assert response.status_code == 400
    assert "como máximo 2000 caracteres (tiene 2001)" in response.content.decode()
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_a_long_return_reason_is_refused_in_the_page_and_the_api(client, cases, dgcp):
    case = cases.in_review()
    client.force_login(dgcp)
    response = client.post(
        reverse("agreements:agreement_return", args=[case.pk]),
        {"reason": "x" * (NOTE + 1)},
        follow=True,
    )
    assert "2000" in response.content.decode()
    api = client.post(
        f"/api/v1/agreements/{case.pk}/return/", {"reason": "x" * (NOTE + 1)}, content_type="application/json"
    )
    assert api.status_code == 400
    assert "reason" in api.json()["errors"]
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW
    assert not TimelineEvent.objects.filter(agreement=case, action="return_for_corrections").exists()


@pytest.mark.django_db
def test_the_services_refuse_long_text_from_any_caller(cases, cja, dgcp, run_on_commit):
    """Interfaces check first; the services guard every other caller (commands, shell, future interfaces)."""
    case = cases.in_review()
    with pytest.raises(ValidationFailed) as refused:
        services.dictamen_issue(
            user=cja,
            agreement_id=case.pk,
            outcome="viable_with_observations",
            summary="Procedente.",
            observations=[{"text": "Precisar la vigencia."}, {"text": "y" * (NOTE + 1)}],
        )
    assert "Observación 2" in refused.value.field_errors["observations"][0]
    with pytest.raises(ValidationFailed) as refused:
        services.agreement_return(user=dgcp, agreement_id=case.pk, reason="z" * (NOTE + 1))
    assert "reason" in refused.value.field_errors
    assert not Dictamen.objects.exists()
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW


@pytest.mark.django_db
def test_a_dictamen_with_too_many_observations_is_refused(client, cases, cja):
    case = cases.in_review()
    client.force_login(cja)
    body = {"outcome": "viable_with_observations", "summary": "Procedente.", "observations": ["Una."] * 51}
    response = client.post(f"/api/v1/agreements/{case.pk}/dictamen/", body, content_type="application/json")
    assert response.status_code == 400
    assert "observations" in response.json()["errors"]
    assert not Dictamen.objects.exists()
