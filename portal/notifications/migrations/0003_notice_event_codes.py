"""Notices become event codes with parameters, tied to their case. Notices written before keep their stored
Spanish text (``event`` stays empty and they are shown as written); each is tied to the case its subject names
by folio, so the notifications API can say which case it concerns.
"""

import re

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


FOLIO = re.compile(r"AII-\d{4}-\d{6}")


def link_cases(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Agreement = apps.get_model("agreements", "Agreement")
    by_folio = {}
    changed = []
    for notice in Notification.objects.filter(agreement=None).iterator():
        match = FOLIO.search(notice.subject)
        if not match:
            continue
        folio = match.group(0)
        if folio not in by_folio:
            by_folio[folio] = Agreement.objects.filter(folio=folio).values_list("pk", flat=True).first()
        if by_folio[folio] is not None:
            notice.agreement_id = by_folio[folio]
            changed.append(notice)
    Notification.objects.bulk_update(changed, ["agreement"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0014_registry_export_jobs"),
        ("notifications", "0002_outbox_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="agreement",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notifications",
                to="agreements.agreement",
                verbose_name="expediente",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="event",
            field=models.CharField(
                blank=True,
                choices=[
                    ("receipt", "Acuse de recibo de la solicitud"),
                    ("submitted", "Nueva solicitud de dictamen"),
                    ("incomplete", "Solicitud incompleta"),
                    ("in_review", "Solicitud turnada a la CJA"),
                    ("dictamen_issued", "Dictamen por aprobar"),
                    ("dictamen_returned", "Dictamen devuelto por la DGCP"),
                    ("dictamen_delivered", "Respuesta de la SRE"),
                    ("revision_submitted", "Texto revisado por dictaminar"),
                    ("revision_informed", "Texto revisado enviado a la CJA"),
                    ("registration_requested", "Inscripción por hacer"),
                    ("signed_copy_returned", "Copia firmada devuelta"),
                    ("closed", "Acuerdo inscrito y expediente concluido"),
                    ("closed_informed", "Expediente concluido"),
                    ("returned", "Expediente devuelto para correcciones"),
                    ("not_admissible", "Expediente no admitido"),
                    ("withdrawn", "Solicitud retirada"),
                    ("expiry_reminder", "Fin de vigencia próximo"),
                ],
                max_length=40,
                verbose_name="evento",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="datos del evento"),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "event__in",
                        [
                            "receipt",
                            "submitted",
                            "incomplete",
                            "in_review",
                            "dictamen_issued",
                            "dictamen_returned",
                            "dictamen_delivered",
                            "revision_submitted",
                            "revision_informed",
                            "registration_requested",
                            "signed_copy_returned",
                            "closed",
                            "closed_informed",
                            "returned",
                            "not_admissible",
                            "withdrawn",
                            "expiry_reminder",
                        ],
                    ),
                    ("event", ""),
                    _connector="OR",
                ),
                name="notifications_notification_event_valid",
            ),
        ),
        migrations.RunPython(link_cases, migrations.RunPython.noop, elidable=True),
    ]
