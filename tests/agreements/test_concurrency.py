"""Two reviewers acting at once on PostgreSQL: exactly one wins, the other gets 409."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from agreements.models import Dictamen, TimelineEvent
from tests.factories import cja_reviewer, dgcp_reviewer

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not settings.USING_POSTGRES, reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _race(users, paths, payloads):
    """Send the requests at the same instant from separate threads (separate connections)."""
    barrier = threading.Barrier(len(users))
    paths = paths if isinstance(paths, list) else [paths] * len(users)

    def act(user, path, payload):
        try:
            client = APIClient()
            client.force_authenticate(user)
            barrier.wait(timeout=10)
            return client.post(path, payload, format="json").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(len(users)) as pool:
        return sorted(pool.map(act, users, paths, payloads))


def test_two_simultaneous_dictamenes(committed_reference_data, cases):
    case = cases.in_review()
    second_cja = cja_reviewer()
    statuses = _race(
        [cases.cja, second_cja],
        f"/api/v1/agreements/{case.pk}/dictamen/",
        [{"outcome": "viable", "summary": "A"}, {"outcome": "not_viable", "summary": "B"}],
    )
    assert statuses == [201, 409]
    assert Dictamen.objects.filter(agreement=case).count() == 1
    assert TimelineEvent.objects.filter(agreement=case, action="issue_dictamen").count() == 1


def test_approve_and_return_at_once(committed_reference_data, cases):
    case = cases.dictamen_issued()
    base = f"/api/v1/agreements/{case.pk}/dictamen"
    results = _race(
        [cases.dgcp, dgcp_reviewer()], [f"{base}/approve/", f"{base}/return/"], [{}, {"comment": "Revisar"}]
    )
    assert results == [200, 409]
    assert TimelineEvent.objects.filter(agreement=case, action__in=["approve_dictamen", "return_dictamen"]).count() == 1
