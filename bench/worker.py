"""Celery: a real worker on a queue of its own; the no-op rate, then the workflow's automatic steps per task."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import subprocess
import time
from collections import Counter

from .cache import redis_client
from .processes import VENV_BIN, log
from .samples import IDLE_SAMPLE_S, cpu_busy

__all__ = [
    "WORKER_TASK_RATIO",
    "measure_step_queries",
    "run_celery",
    "run_late_steps",
    "run_noop",
    "run_workflow",
    "start_worker",
]

# --- Celery ---------------------------------------------------------------------------------


def purge_queues(names, *, bindings: bool = False) -> int:
    """Drop the messages waiting on the run's queues ``names`` (and with ``bindings`` kombu's bindings for them);
    returns how many messages were dropped."""
    client = redis_client()
    dropped = 0
    for name in names:
        keys = [name, *client.scan_iter(match=f"{name}\x06*", count=100)]  # priority sub-queues
        dropped += sum(client.llen(key) for key in keys)
        client.delete(*keys)
        if bindings:
            client.delete(f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")
    return dropped


def start_worker(env, processes, workdir, queue, name, *, concurrency: int = 2) -> subprocess.Popen:
    """``celery -A portal worker -Q <queue>``: the app's own hooks apply as in production (a worker serving the heavy
    queue alone lowers its CPU priority, ``portal.celery.heavy_worker_lower_priority``)."""
    command = [
        str(VENV_BIN / "celery"),
        "-A",
        "portal",
        "worker",
        "-c",
        str(concurrency),
        "--include",
        "bench.tasks",
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
        "-l",
        "warning",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    return processes.start(command, env=env, log_path=workdir / f"worker-{name}.log")


def _wait_until(predicate, *, timeout: float, interval: float, proc: subprocess.Popen, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if proc.poll() is not None:
            raise SystemExit(f"the Celery worker exited with {proc.returncode} while waiting for {what}")
        time.sleep(interval)
    return None


def _drain(queue: str, proc: subprocess.Popen, timeout: float = 90) -> bool:
    client = redis_client()
    return bool(_wait_until(lambda: client.llen(queue) == 0, timeout=timeout, interval=0.5, proc=proc, what="drain"))


def _noop_round(args, env, processes, workdir, queue) -> dict:
    from bench.tasks import bench_noop_task, completion_keys

    run_key = f"{queue}:noop"
    count_key, first_key, last_key = completion_keys(run_key)
    client = redis_client()
    client.delete(count_key, first_key, last_key)
    n = args.celery_tasks
    started = time.perf_counter()
    for _ in range(n):
        bench_noop_task.apply_async(args=[run_key], queue=queue)
    enqueue_s = time.perf_counter() - started
    worker = start_worker(env, processes, workdir, queue, "noop")
    try:
        done = _wait_until(
            lambda: int(client.get(count_key) or 0) >= n, timeout=180, interval=0.1, proc=worker, what="no-op tasks"
        )
        completed = int(client.get(count_key) or 0)
        first = float(client.get(first_key) or 0)
        last = max((float(v) for v in client.hvals(last_key)), default=0.0)
    finally:
        processes.stop(worker)
        client.delete(count_key, first_key, last_key)
    span = max(last - first, 1e-6)
    return {
        "tasks": n,
        "completed": completed,
        "all_completed": bool(done),
        "enqueue_per_s": round(n / enqueue_s, 1),
        "first_to_last_s": round(span, 3),
        "tasks_per_s": round((completed - 1) / span, 1),
        "tasks_per_min": round((completed - 1) / span * 60),
    }


def run_noop(args, env, processes, workdir, queue) -> dict:
    """The no-op ceiling: a few rounds of ``--celery-tasks`` each (a round lasts only 1-3 s, and its rate
    varies by half from one to the next); the fastest round is the ceiling, the harshest comparison."""
    rounds = []
    for _ in range(max(args.noop_rounds, 1)):
        busy = cpu_busy(IDLE_SAMPLE_S)
        rounds.append({**_noop_round(args, env, processes, workdir, queue), "cpu_busy_before": busy})
    best = max(rounds, key=lambda r: r["tasks_per_s"])
    return {**best, "rounds": rounds, "chosen": f"the fastest of {len(rounds)} rounds"}


_DOCUMENT_TYPES = {  # kind -> (content type, extension) of the documents a prepared case is given
    "request_letter": ("application/pdf", "pdf"),
    "final_text": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "signed_copy": ("application/pdf", "pdf"),
}


def _missing_documents(ids: list[int], kinds: list[str]) -> list:
    """The documents of ``kinds`` that the cases ``ids`` lack (unsaved), as their filer would have uploaded them."""
    from agreements.models import Agreement, Document

    have = set(Document.objects.filter(agreement_id__in=ids, kind__in=kinds).values_list("agreement_id", "kind"))
    creators = dict(Agreement.objects.filter(id__in=ids).values_list("id", "created_by_id"))
    return [
        Document(
            agreement_id=pk,
            kind=kind,
            version=1,
            file=f"agreements/{pk}/bench-{kind}",
            original_name=f"{kind}.{_DOCUMENT_TYPES[kind][1]}",
            content_type=_DOCUMENT_TYPES[kind][0],
            size=12_345,
            sha256=f"{pk:032x}{len(kind):032x}",
            uploaded_by_id=creators[pk],
        )
        for pk in ids
        for kind in kinds
        if (pk, kind) not in have
    ]


def _prepare_workflow_cases(n: int) -> list[int]:
    """``n`` draft/returned cases put at step 5 ('submitted') with a request letter and a final text."""
    from django.db import transaction
    from django.utils import timezone

    from agreements.models import Agreement, Document

    ids = list(
        Agreement.objects.filter(status__in=["draft", "returned"], is_demo=True)
        .order_by("id")
        .values_list("id", flat=True)[:n]
    )
    missing = _missing_documents(ids, ["request_letter", "final_text"])
    now = timezone.now()
    with transaction.atomic():
        Document.objects.bulk_create(missing, batch_size=1000)
        Agreement.objects.filter(id__in=ids).update(
            status="submitted", current_step=5, submitted_at=now, step_entered_at=now, updated_at=now
        )
    return ids


def measure_step_queries(case_id: int) -> dict:
    """Queries and time of the automatic steps of one case, in-process (``Task.apply``), commit hooks included.

    ``workflow_advance_task(id, 5)`` walks steps 5 and 6 in one task (``services.agreement_walk_automatic``);
    a second call for step 6 then finds the case moved on and is measured as the cost of a stale delivery.

    The follow-up messages the steps queue land on the run's own queue and are dropped with it.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agreements.models import TimelineEvent
    from agreements.tasks import workflow_advance_task
    from portal.notifications.models import Notification
    from portal.notifications.tasks import notification_outbox_flush_task

    def measured(task, task_args) -> tuple[object, dict]:
        started = time.perf_counter()
        # The console e-mail backend writes to stdout: keep it out of the report.
        with CaptureQueriesContext(connection) as context, contextlib.redirect_stdout(io.StringIO()):
            result = task.apply(args=task_args).get()
        return result, {
            "queries": len(context.captured_queries),
            "ms": round((time.perf_counter() - started) * 1000, 2),
            "statements": [q["sql"][:300] for q in context.captured_queries],
        }

    out = {}
    last_notification = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
    last_event = TimelineEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    result, out["task_from_step_5"] = measured(workflow_advance_task, [case_id, 5])
    out["task_from_step_5"]["advanced"] = bool(result)
    out["task_from_step_5"]["events"] = list(
        TimelineEvent.objects.filter(agreement_id=case_id, id__gt=last_event)
        .order_by("id")
        .values_list("action", flat=True)
    )
    result, out["stale_task_step_6"] = measured(workflow_advance_task, [case_id, 6])
    out["stale_task_step_6"]["advanced"] = bool(result)
    ids = list(Notification.objects.filter(id__gt=last_notification).values_list("id", flat=True))
    sent, out["notification_outbox_flush_task"] = measured(notification_outbox_flush_task, [])
    out["notification_outbox_flush_task"]["notifications"] = len(ids)
    out["notification_outbox_flush_task"]["sent"] = sent
    return out


def run_workflow(args, env, processes, workdir, queue) -> dict:
    from django.db.models import Count, Max, Min

    from agreements.models import Agreement, TimelineEvent
    from agreements.tasks import workflow_advance_task
    from portal.notifications.models import Notification

    ids = _prepare_workflow_cases(args.workflow_cases + 2)
    probes, ids = ids[-2:], ids[:-2]  # walked in-process afterwards for the queries per step (first one warms up)
    n = len(ids)
    # Polled every 0.5 s: events newer than the last one now (a primary-key range scan, not the 3,000 ids).
    last_event = TimelineEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    steps = TimelineEvent.objects.filter(id__gt=last_event, action__in=["check_completeness", "compute_deadline"])
    last_notification = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
    notices = Notification.objects.filter(id__gt=last_notification)
    started = time.perf_counter()
    for pk in ids:
        workflow_advance_task.apply_async(args=[pk, 5], queue=queue)
    enqueue_s = time.perf_counter() - started
    worker = start_worker(env, processes, workdir, queue, "workflow")
    try:
        done = _wait_until(
            lambda: steps.count() >= 2 * n, timeout=300, interval=0.5, proc=worker, what="workflow steps"
        )
        # The e-mails of step 6 go out through the outbox, queued behind the backlog: wait for them too.
        outbox_empty = _wait_until(
            lambda: notices.exists() and not notices.filter(emailed_at=None).exists(),
            timeout=180,
            interval=0.5,
            proc=worker,
            what="the e-mail outbox",
        )
        drained = _drain(queue, worker)
    finally:
        processes.stop(worker)
    window = steps.aggregate(first=Min("created_at"), last=Max("created_at"), total=Count("id"))
    statuses_after = {
        row["status"]: row["n"] for row in Agreement.objects.filter(id__in=ids).values("status").annotate(n=Count("id"))
    }
    events_per_case = Counter(steps.values_list("agreement_id", flat=True))
    cases_by_event_count = Counter(events_per_case.get(pk, 0) for pk in ids)
    span = max((window["last"] - window["first"]).total_seconds(), 1e-6) if window["first"] else 0
    total = window["total"]
    mailed = notices.aggregate(total=Count("id"), sent=Count("emailed_at"), last=Max("emailed_at"))
    mail_span = (mailed["last"] - window["first"]).total_seconds() if mailed["last"] and window["first"] else 0
    measure_step_queries(probes[0])
    per_step = measure_step_queries(probes[1])
    tasks_done = cases_by_event_count.get(2, 0)
    return {
        "cases": n,
        # Per TASK (each walks steps 5 and 6): the figure compared with the no-op task, one task against one.
        "tasks": n,
        "tasks_completed": tasks_done,
        "tasks_per_s": round((tasks_done - 1) / span, 1) if span and tasks_done > 1 else 0,
        "tasks_per_min": round((tasks_done - 1) / span * 60) if span and tasks_done > 1 else 0,
        "steps_expected": 2 * n,
        "steps_completed": total,
        "all_completed": bool(done),
        "queue_drained": drained,
        "enqueue_per_s": round(n / enqueue_s, 1),
        "first_to_last_s": round(span, 3),
        "steps_per_s": round((total - 1) / span, 1) if span else 0,
        "steps_per_min": round((total - 1) / span * 60) if span else 0,
        "statuses_after": statuses_after,
        "cases_by_step_events": {str(k): v for k, v in sorted(cases_by_event_count.items())},
        "each_case_advanced_twice": cases_by_event_count == Counter({2: n}),
        "notifications": mailed["total"],
        "notifications_emailed": mailed["sent"],
        "outbox_emptied": bool(outbox_empty),
        "first_step_to_last_email_s": round(mail_span, 3),
        "steps_per_s_until_last_email": round(total / mail_span, 1) if mail_span else 0,
        "per_step_in_process": per_step,
        "note": "each task walks the consecutive automatic steps 5 (completeness) and 6 (deadline) "
        "(services.agreement_walk_automatic, one transaction); step 6 writes the CJA's notifications and, "
        "on commit, requests an outbox flush, which the same worker runs on the same queue (one flush "
        "task at a time is queued; each e-mails every pending notice)",
    }


def _prepare_late_cases(n: int, step: int, exclude: set[int]) -> list[int]:
    """``n`` cases in review put at step 10 ('signed', with a signing date and place) or 12 ('inscribed', with
    a registry number and date), the states the CJA's and the filer's human steps leave them in: each with the
    signed copy of step 9 (step 12's certificate of inscription states its hash)."""
    from django.db import transaction
    from django.utils import timezone

    from agreements.models import Agreement, Document

    ids = list(
        Agreement.objects.filter(status__in=["in_review", "dictamen_issued", "awaiting_signature"], is_demo=True)
        .exclude(id__in=exclude)
        .order_by("id")
        .values_list("id", flat=True)[:n]
    )
    now = timezone.now()
    today = timezone.localdate()
    missing = _missing_documents(ids, ["signed_copy"])
    with transaction.atomic():
        Document.objects.bulk_create(missing, batch_size=1000)
        cases = Agreement.objects.filter(id__in=ids)
        cases.filter(signed_on=None).update(signed_on=today - dt.timedelta(days=30))
        cases.filter(signed_place="").update(signed_place="Guadalajara, Jalisco")
        if step == 10:
            cases.update(status="signed", current_step=10, step_entered_at=now, updated_at=now)
        else:
            for pk in ids:  # a registry number no imported entry uses
                Agreement.objects.filter(id=pk).update(registry_number=f"BENCH-{pk}")
            cases.update(status="inscribed", current_step=12, registered_on=today, step_entered_at=now, updated_at=now)
    return ids


def run_late_steps(args, env, processes, workdir, queue, step: int, ids: list[int]) -> dict:
    """``workflow_advance_task(id, step)`` for step 10 (request the registration) or 12 (close the case and
    publish its registry entry), one step per task, timed from the first step's event to the last.

    Step 12 queues each entry's certificate of inscription on commit (``registry_certificate_issue_task``) on the
    heavy queue (``CELERY_HEAVY_QUEUE``), which production serves with a worker of its own: the steps' worker
    listens on the steps' queue only, as production's does. Once the steps are done, a worker on the heavy queue
    issues the certificates; the run reports how long they took (not counted in the steps' rate).
    """
    from django.db.models import Count, Max, Min

    from agreements.models import TimelineEvent
    from agreements.registry.models import RegistryCertificate
    from agreements.tasks import workflow_advance_task

    action = {10: "request_registration", 12: "close"}[step]
    n = len(ids)
    last_event = TimelineEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    events = TimelineEvent.objects.filter(id__gt=last_event, action=action, agreement_id__in=ids)
    certificates = RegistryCertificate.objects.filter(entry__agreement_id__in=ids)
    for pk in ids:
        workflow_advance_task.apply_async(args=[pk, step], queue=queue)
    worker = start_worker(env, processes, workdir, queue, f"step{step}")
    try:
        done = _wait_until(
            lambda: events.count() >= n, timeout=300, interval=0.5, proc=worker, what=f"step {step} tasks"
        )
        drained = _drain(queue, worker)
    finally:
        processes.stop(worker)
    window = events.aggregate(first=Min("created_at"), last=Max("created_at"), total=Count("id"))
    span = max((window["last"] - window["first"]).total_seconds(), 1e-6) if window["first"] else 0
    total = window["total"]
    follow_up = {}
    if step == 12:
        heavy = env["CELERY_HEAVY_QUEUE"]
        queued = redis_client().llen(heavy)
        worker = start_worker(env, processes, workdir, heavy, "certificates")
        try:
            certificates_done = _wait_until(
                lambda: certificates.count() >= n, timeout=600, interval=0.5, proc=worker, what="the certificates"
            )
        finally:
            processes.stop(worker)
        issued = certificates.aggregate(total=Count("id"), first=Min("issued_at"), last=Max("issued_at"))
        follow_up = {
            "certificates_queued_on_heavy_queue": queued,
            "certificates_issued": issued["total"],
            "all_certificates_issued": bool(certificates_done) and issued["total"] == n,
            "first_to_last_certificate_s": round((issued["last"] - issued["first"]).total_seconds(), 3)
            if issued["last"]
            else 0,
        }
    return {
        "step": step,
        "action": action,
        "tasks": n,
        "tasks_completed": total,
        "all_completed": bool(done) and total == n,
        "queue_drained": drained,
        "first_to_last_s": round(span, 3),
        "tasks_per_s": round((total - 1) / span, 1) if span and total > 1 else 0,
        "tasks_per_min": round((total - 1) / span * 60) if span and total > 1 else 0,
        **follow_up,
    }


# Automatic steps per TASK against the no-op task's rate (issue #14), for steps 5-6, 10 and 12.
WORKER_TASK_RATIO = 0.25


def run_celery(args, env, processes, workdir, queue) -> dict:
    busy = cpu_busy()
    log(f"Celery: {args.celery_tasks} no-op tasks on queue {queue} (CPU busy before: {busy:.0%}) ...")
    noop = run_noop(args, env, processes, workdir, queue)
    log(f"no-op: {noop['tasks_per_s']} tasks/s ({noop['tasks_per_min']}/min)")
    log(f"Celery: workflow_advance_task on {args.workflow_cases} cases at step 5 ...")
    busy_workflow = cpu_busy(IDLE_SAMPLE_S)
    workflow = run_workflow(args, env, processes, workdir, queue)
    ratio = workflow["tasks_per_min"] / noop["tasks_per_min"] if noop["tasks_per_min"] else 0
    log(
        f"workflow: {workflow['tasks_per_s']} tasks/s ({workflow['steps_per_s']} steps/s), {ratio:.2f} of no-op "
        "per task"
    )
    late = {}
    used: set[int] = set()
    for step in (10, 12):
        ids = _prepare_late_cases(args.workflow_cases, step, used)
        used.update(ids)
        log(f"Celery: workflow_advance_task on {len(ids)} cases at step {step} ...")
        phase = run_late_steps(args, env, processes, workdir, queue, step, ids)
        phase["ratio_to_noop"] = (
            round(phase["tasks_per_min"] / noop["tasks_per_min"], 3) if noop["tasks_per_min"] else 0
        )
        log(f"step {step}: {phase['tasks_per_s']} tasks/s, {phase['ratio_to_noop']:.2f} of no-op")
        if "certificates_issued" in phase:
            log(
                f"step {step}: {phase['certificates_issued']}/{len(ids)} certificates on the heavy queue, "
                f"{phase['first_to_last_certificate_s']} s from the first to the last"
            )
        late[str(step)] = phase
    with contextlib.suppress(Exception):  # the run's queues and kombu's bindings for them (nothing else)
        purge_queues([queue, env["CELERY_HEAVY_QUEUE"]], bindings=True)
    return {
        "queue": queue,
        "cpu_busy_before": busy,
        "cpu_busy_idle": [busy, *(r["cpu_busy_before"] for r in noop["rounds"]), busy_workflow],
        "noop": noop,
        "workflow": workflow,
        "late_steps": late,
        "ratio_to_noop": round(ratio, 3),
    }
