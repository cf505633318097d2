"""The heavy queue's worker gives the CPU to the pages first (issue #14: an export slows list pages by ≤ 1.5×)."""

import pytest
from django.conf import settings

from portal import celery as portal_celery


@pytest.fixture
def niced(monkeypatch):
    calls = []
    monkeypatch.setattr(portal_celery.os, "nice", calls.append)
    # Building a worker selects its queues on the app's own queue table: given back afterwards.
    monkeypatch.setattr(portal_celery.app.amqp.queues, "_consume_from", portal_celery.app.amqp.queues._consume_from)
    return calls


def worker(queues):
    """A worker as Celery builds it for ``celery -A portal worker -Q <queues>`` (not started): building it sends
    ``worker_init``, the signal the priority hangs on."""
    return portal_celery.app.WorkController(app=portal_celery.app, queues=queues, pool_cls="solo")


def test_a_worker_serving_only_the_heavy_queue_runs_at_a_lower_priority(niced, settings):
    settings.CELERY_HEAVY_NICE = 7
    worker([settings.CELERY_HEAVY_QUEUE])
    assert niced == [7]


@pytest.mark.parametrize(
    "queues",
    [
        [settings.CELERY_TASK_DEFAULT_QUEUE],  # the workflow's steps and the e-mails
        [settings.CELERY_TASK_DEFAULT_QUEUE, settings.CELERY_HEAVY_QUEUE],  # `make worker`: one worker for both
        None,  # no -Q: every queue
    ],
)
def test_a_worker_serving_the_default_queue_keeps_its_priority(niced, queues):
    worker(queues)
    assert niced == []


def test_a_nice_of_zero_keeps_the_heavy_worker_s_priority(niced, settings):
    settings.CELERY_HEAVY_NICE = 0
    worker([settings.CELERY_HEAVY_QUEUE])
    assert niced == []


def test_production_s_heavy_worker_is_lowered_by_default():
    assert settings.CELERY_HEAVY_NICE > 0


def test_docker_compose_s_heavy_worker_is_the_one_lowered(settings):
    """docker-compose.yml's worker-heavy serves the heavy queue alone (so the app lowers it) and the steps' worker
    does not (so it keeps its priority)."""
    from pathlib import Path

    import yaml

    settings.CELERY_HEAVY_QUEUE = "portal-heavy"  # docker-compose's environment leaves the default
    services = yaml.safe_load((Path(settings.BASE_DIR) / "docker-compose.yml").read_text())["services"]

    def queues(service):
        command = services[service]["command"].split()
        return command[command.index("-Q") + 1].split(",")

    assert portal_celery.heavy_queue_only(queues("worker-heavy"))
    assert not portal_celery.heavy_queue_only(queues("worker"))
    assert int(services["worker-heavy"]["environment"]["CELERY_HEAVY_NICE"].strip("${}").split(":-")[1]) > 0
