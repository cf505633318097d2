"""Schemathesis against the live OpenAPI schema, as each role: no 5xx, and every response as documented.

The schema is loaded from the WSGI app (``/api/v1/schema/``), so every operation added to the API is fuzzed here
without listing it. Examples per operation are bounded so the whole run stays within a few minutes in CI.
"""

import datetime as dt
import os
from collections import Counter

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from agreements.registry import services
from cooperation.models import CityNetwork, FocalPoint, Organisation, Partnership
from migrants.models import MigrantOffice
from portal.wsgi import application
from tests.cases import CaseBuilder
from tests.factories import admin_user, analyst, cja_reviewer, dgcp_reviewer, local_official
from tests.registry.test_registry import csv_bytes

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "10"))  # per operation and role; raise it for a long run
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = {
    "anonymous": None,
    "local": local_official,
    "dgcp": dgcp_reviewer,
    "cja": cja_reviewer,
    "analyst": analyst,
    "admin": admin_user,
}
FIGURES = Counter()


def _session_headers(user) -> dict:
    """A signed-in session cookie with a CSRF token, as a browser sends it (unsafe methods pass CSRF)."""
    if user is None:
        return {}
    client = Client()
    client.force_login(user)
    token = _get_new_csrf_string()
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={token}",
        "X-CSRFToken": token,
    }


@pytest.fixture
def _connections_kept():
    """As Django's test client does: the WSGI app must not close the connection holding the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(run_on_commit, _connections_kept):
    """Real objects behind the paths: a local office's case with a dictamen, registry entries, a focal point."""
    local, dgcp, cja = local_official(), dgcp_reviewer(), cja_reviewer()
    case = CaseBuilder(run_on_commit, local, dgcp, cja).dictamen_issued(
        "viable_with_observations", [{"text": "Precisar la vigencia", "clause": "2"}]
    )
    assert services.registry_import(content=csv_bytes()).ok
    focal_point = FocalPoint.objects.create(
        state_id="14",
        name="Ana",
        position="Directora",
        email="ana@jalisco.gob.mx",
        phone="3300000000",
        designated_on=dt.date(2025, 1, 1),
    )
    paths = {
        "/api/v1/agreements/": case.pk,
        "/api/v1/focal-points/": focal_point.pk,
        "/api/v1/migrant-offices/": MigrantOffice.objects.values_list("pk", flat=True).first(),
        "/api/v1/networks/": CityNetwork.objects.values_list("pk", flat=True).first(),
        "/api/v1/organisations/": Organisation.objects.values_list("pk", flat=True).first(),
        "/api/v1/partnerships/": Partnership.objects.values_list("pk", flat=True).first(),
        "/api/v1/notifications/": local.notifications.values_list("pk", flat=True).first(),
    }
    document = case.documents.first()
    return {
        "users": {"local": local, "dgcp": dgcp, "cja": cja},
        "paths": paths,
        "document_id": document.pk,
        "folio": case.folio,
    }


def _pinned(operation, seeded) -> dict | None:
    """Path parameters naming a seeded object (None for operations without path parameters)."""
    names = {p.name for p in operation.path_parameters}
    if not names:
        return None
    values = {"registry_number": "R-002", "code": "14", "inegi_code": "14039", "number": 1}
    values["document_id"] = seeded["document_id"]
    values["folio"] = seeded["folio"]  # the public status by folio answers 200 for a sent case
    for prefix, pk in seeded["paths"].items():
        if operation.path.startswith(prefix.removeprefix("/api/v1")) or operation.path.startswith(prefix):
            values["id"] = pk
    return {name: values[name] for name in names if name in values}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


def _fuzz(operation, headers, path_parameters=None) -> list[str]:
    failures = []

    @seed(20261128)
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(path_parameters=path_parameters))
    def run(case):
        FIGURES["examples"] += 1
        response = case.call(headers=headers)
        if response.status_code >= 500:
            FIGURES["5xx"] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, BaseExceptionGroup) as error:  # schemathesis raises a group of check failures
            failures.append(f"{operation.label}: {str(error).strip().splitlines()[0:6]}")

    run()
    return failures


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_as_documented_for_each_role(schema, seeded, role):
    user = seeded["users"].get(role) or (ROLES[role] and ROLES[role]())
    headers = _session_headers(user)
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        failures.extend(_fuzz(operation, headers))
        pinned = _pinned(operation, seeded)
        if pinned:
            failures.extend(_fuzz(operation, headers, pinned))
    FIGURES["operations"] = operations
    print(
        f"\nschemathesis {role}: {operations} operations, {FIGURES['examples']} examples so far, 5xx {FIGURES['5xx']}"
    )
    assert not failures, "\n".join(dict.fromkeys(failures))


def test_the_schema_documents_errors_content_types_and_hidden_contacts(client):
    import yaml

    document = yaml.safe_load(client.get("/api/v1/schema/").content)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            expected = {"400", "401", "403", "404", "429"} | ({"409"} if method != "get" else set())
            assert expected <= set(operation["responses"]), (method, path)
    assert set(document["paths"]["/api/v1/registry/export/"]["get"]["responses"]["200"]["content"]) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    focal_point = document["components"]["schemas"]["FocalPoint"]
    assert not {"email", "phone"} & set(focal_point["required"])
    assert "Solo para personal" in focal_point["properties"]["email"]["description"]
    assert document["components"]["schemas"]["Error"]["required"] == ["detail"]
