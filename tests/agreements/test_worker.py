"""End to end with a real Celery worker on Redis: the worker walks steps 5, 6, 10 and 12."""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from kombu import Queue

from agreements import services
from agreements.choices import Status
from agreements.models import Agreement
from agreements.registry.models import RegistryCertificate
from portal.celery import app as celery_app
from tests import documents
from tests.cases import CASE_DATA
from tests.factories import future_date

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not (settings.USING_POSTGRES and settings.REDIS_URL), reason="needs PostgreSQL and Redis"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def worker(committed_reference_data):
    queue = f"test-{uuid.uuid4().hex[:10]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": queue,
        "CELERY_HEAVY_QUEUE": f"{queue}-heavy",
        "MEDIA_ROOT": settings.MEDIA_ROOT,
    }
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "-P",
                "solo",
                "-Q",
                f"{queue},{queue}-heavy",  # a worker per queue in production; one serves both here
                "-l",
                "warning",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            # A file, not a pipe: the console e-mail backend prints every notice (with its PDF attachments), and a
            # pipe nobody reads fills up and blocks the worker mid-task.
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        saved = {
            k: celery_app.conf[k]
            for k in ("task_always_eager", "broker_url", "task_default_queue", "task_queues", "task_routes")
        }
        celery_app.conf.update(
            task_always_eager=False,
            broker_url=settings.REDIS_URL,
            task_default_queue=queue,
            task_queues=(Queue(queue), Queue(f"{queue}-heavy")),
            task_routes={name: {"queue": f"{queue}-heavy"} for name in settings.CELERY_TASK_ROUTES},
        )
        celery_app.__dict__.pop("amqp", None)  # its queues and router are built from the configuration once
        try:
            yield process
        finally:
            celery_app.conf.update(saved)
            celery_app.__dict__.pop("amqp", None)
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.seek(0)
            print(log.read()[-4000:])


def _wait_for(pk, status, timeout=45):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = Agreement.objects.values_list("status", flat=True).get(pk=pk)
        if current == status:
            return
        time.sleep(0.2)
    raise AssertionError(f"case {pk} stayed {current!r}, expected {status!r}")


def _wait_for_certificate(entry, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if RegistryCertificate.objects.filter(entry=entry).exists():
            return
        time.sleep(0.2)
    raise AssertionError(f"no certificate for entry {entry.pk}")


def test_real_worker_walks_the_automatic_steps(worker, cases):
    local, dgcp, cja = cases.local, cases.dgcp, cases.cja
    case = services.agreement_create(user=local, data={**CASE_DATA, "intended_signing_date": future_date(60)})
    services.document_upload(user=local, agreement_id=case.pk, kind="request_letter", upload=documents.pdf_upload())
    services.document_upload(user=local, agreement_id=case.pk, kind="final_text", upload=documents.docx_upload())
    services.agreement_submit(user=local, agreement_id=case.pk)
    _wait_for(case.pk, Status.IN_REVIEW)  # steps 5 and 6 by the worker
    services.dictamen_issue(user=cja, agreement_id=case.pk, outcome="viable", summary="Procedente.")
    services.dictamen_approve(user=dgcp, agreement_id=case.pk)
    services.signed_copy_submit(
        user=local,
        agreement_id=case.pk,
        upload=documents.pdf_upload("firmado.pdf", "Acuerdo de hermanamiento. Cláusula 1. Objeto."),
        signed_on=services.today(),
        signed_place="Guadalajara",
    )
    _wait_for(case.pk, Status.REGISTRATION_REQUESTED)  # step 10
    services.agreement_register(
        user=cja,
        agreement_id=case.pk,
        registry_number="W-1",
        registered_on=services.today(),
        recommendations_incorporated=True,
    )
    _wait_for(case.pk, Status.CLOSED)  # step 12
    case.refresh_from_db()
    system_steps = list(
        case.timeline.filter(actor=None, completed_step__isnull=False).values_list("completed_step", flat=True)
    )
    assert sorted(system_steps) == [5, 6, 10, 12]
    assert case.registry_entry.registry_number == "W-1"
    _wait_for_certificate(case.registry_entry)  # issued on the heavy queue
