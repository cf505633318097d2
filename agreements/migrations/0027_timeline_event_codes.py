"""Timeline rows become codes with parameters: ``action``, ``actor_role`` and ``decision`` are choices checked by
the database, and the facts the portal used to write as Spanish sentences in ``comment`` («Versión 2 del texto
final», «Inscrito con el número … el …») move to ``params``, so ``agreements.events`` renders them in the reader's
language. Rows whose comment matches none of those sentences keep it (it was written by a person, or in another
language). On PostgreSQL the append-only trigger is set aside for this one conversion.
"""

import datetime as dt
import re

from django.conf import settings
from django.db import migrations, models

DATE = r"(\d{2})/(\d{2})/(\d{4})"
DECISIONS = {
    "viable", "viable_with_observations", "not_viable", "addressed", "not_addressed", "request_letter",
    "final_text", "annex", "signed_copy", "incomplete", "late", "on_time",
}  # fmt: skip


def _iso(match, first=1) -> str:
    d, m, y = (int(match.group(i)) for i in range(first, first + 3))
    return dt.date(y, m, d).isoformat()


def convert(event) -> bool:
    """Move the facts of one row's system-written comment to ``params``; True when the row changed."""
    comment, action = event.comment or "", event.action
    params = dict(event.params or {})
    if action == "submit_revision" and (m := re.fullmatch(r"Versión (\d+) del texto final", comment)):
        params["version"], comment = int(m.group(1)), ""
    elif action == "register" and (m := re.fullmatch(r"Inscrito con el número (\S+) el " + DATE, comment)):
        params.update(number=m.group(1), registered_on=_iso(m, 2))
        comment = ""
    elif action == "compute_deadline" and (m := re.search(DATE, comment)):
        params.update(deadline=_iso(m), urgent="con justificación de urgencia" in comment)
        comment = ""
    elif action == "check_completeness" and comment.startswith(("Documentación completa", "Faltan documentos")):
        comment = ""
    elif action in ("request_registration", "close") and comment.startswith(("La DGCP solicita", "Procedimiento")):
        comment = ""
    elif action == "answer_observation" and (m := re.fullmatch(r"(\d+)\. (.*)", comment, re.DOTALL)):
        params["number"], comment = int(m.group(1)), m.group(2)
    elif action == "upload_signed_copy" and (
        m := re.fullmatch(
            r"Firmado el " + DATE + r" en (.*?)(?: · coincidencia con el texto dictaminado: ([\d.]+) % \((.*)\))?",
            comment,
            re.DOTALL,
        )
    ):
        match = float(m.group(5)) if m.group(5) else None
        params.update(signed_on=_iso(m), place=m.group(4), match=match, low_match=match is not None)
        comment = m.group(6) or ""
    if action == "register" and event.decision and "number" not in params:
        params["number"] = event.decision
    decision = event.decision if event.decision in DECISIONS else ""
    if (comment, params, decision) == (event.comment, event.params, event.decision):
        return False
    event.comment, event.params, event.decision = comment, params, decision
    return True


def forward(apps, schema_editor):
    TimelineEvent = apps.get_model("agreements", "TimelineEvent")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("ALTER TABLE agreements_timelineevent DISABLE TRIGGER USER")
    changed = [e for e in TimelineEvent.objects.exclude(comment="", decision="").iterator() if convert(e)]
    TimelineEvent.objects.bulk_update(changed, ["comment", "params", "decision"], batch_size=500)
    if postgres:
        schema_editor.execute("ALTER TABLE agreements_timelineevent ENABLE TRIGGER USER")


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0026_amendments_and_extensions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="timelineevent",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="datos del evento"),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="timelineevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Crear expediente"),
                    ("upload_document", "Adjuntar documento"),
                    ("replace_document", "Reemplazar documento"),
                    ("remove_document", "Eliminar documento"),
                    ("submit", "Enviar a la DGCP"),
                    ("check_completeness", "Verificar integración y turnar a la CJA"),
                    ("compute_deadline", "Calcular el plazo"),
                    ("issue_dictamen", "Emitir dictamen"),
                    ("approve_dictamen", "Aprobar y entregar el dictamen"),
                    ("return_dictamen", "Devolver el dictamen a la CJA"),
                    ("answer_observation", "Responder observación"),
                    ("submit_revision", "Enviar texto revisado"),
                    ("upload_signed_copy", "Enviar copia firmada"),
                    ("request_registration", "Solicitar el registro"),
                    ("register", "Inscribir en el registro"),
                    ("return_signed_copy", "Devolver la copia firmada"),
                    ("close", "Concluir el expediente"),
                    ("return_for_corrections", "Devolver para correcciones"),
                    ("mark_not_admissible", "Declarar no admitido"),
                    ("withdraw", "Retirar la solicitud"),
                ],
                max_length=40,
                verbose_name="acción",
            ),
        ),
        migrations.AlterField(
            model_name="timelineevent",
            name="actor_role",
            field=models.CharField(
                choices=[("local", "Oficina local"), ("dgcp", "DGCP"), ("cja", "CJA"), ("system", "sistema")],
                max_length=20,
                verbose_name="función del actor",
            ),
        ),
        migrations.AlterField(
            model_name="timelineevent",
            name="decision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("viable", "Procedente"),
                    ("viable_with_observations", "Procedente con observaciones"),
                    ("not_viable", "No procedente"),
                    ("addressed", "Atendida"),
                    ("not_addressed", "No atendida"),
                    ("request_letter", "Oficio de solicitud (PDF)"),
                    ("final_text", "Texto final acordado (Word)"),
                    ("annex", "Anexo"),
                    ("signed_copy", "Copia firmada (PDF)"),
                    ("incomplete", "Documentación incompleta"),
                    ("late", "Fuera de plazo"),
                    ("on_time", "En plazo"),
                ],
                max_length=40,
                verbose_name="decisión",
            ),
        ),
        migrations.AddConstraint(
            model_name="timelineevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "action__in",
                        [
                            "create",
                            "upload_document",
                            "replace_document",
                            "remove_document",
                            "submit",
                            "check_completeness",
                            "compute_deadline",
                            "issue_dictamen",
                            "approve_dictamen",
                            "return_dictamen",
                            "answer_observation",
                            "submit_revision",
                            "upload_signed_copy",
                            "request_registration",
                            "register",
                            "return_signed_copy",
                            "close",
                            "return_for_corrections",
                            "mark_not_admissible",
                            "withdraw",
                        ],
                    )
                ),
                name="agreements_timelineevent_action_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="timelineevent",
            constraint=models.CheckConstraint(
                condition=models.Q(("actor_role__in", ["local", "dgcp", "cja", "system"])),
                name="agreements_timelineevent_actor_role_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="timelineevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "decision__in",
                        [
                            "viable",
                            "viable_with_observations",
                            "not_viable",
                            "addressed",
                            "not_addressed",
                            "request_letter",
                            "final_text",
                            "annex",
                            "signed_copy",
                            "incomplete",
                            "late",
                            "on_time",
                        ],
                    ),
                    ("decision", ""),
                    _connector="OR",
                ),
                name="agreements_timelineevent_decision_valid",
            ),
        ),
    ]
