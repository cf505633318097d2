"""Demo cases at every stage, filed through the real services (marked is_demo). Loaded once."""

import datetime as dt
import io

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agreements.registry import services as registry_services
from portal.core.pdf import demo_pdf
from portal.institutions.models import User

from . import services, workflow
from .models import Agreement

# (kind, counterpart, type, country, subdivision, themes) of case 5 and of its extension, case 7 (AMENDS).
_SALAMANCA_FRAMEWORK = (
    "university_cooperation_framework",
    "Junta de Castilla y León",
    "government",
    "ES",
    "ES-CL",
    ["education", "science_technology"],
)

CASES = [
    # (filer, title, kind, counterpart, type, country, subdivision, themes, days to signing, stage)
    (
        "enlace.jalisco@demo.mx",
        "Acuerdo de hermanamiento Guadalajara–Kraków (demo)",
        "twinning",
        "Ciudad de Kraków",
        "government",
        "PL",
        "PL-12",
        ["culture", "education", "tourism"],
        75,
        "draft",
    ),
    (
        "enlace.jalisco@demo.mx",
        "Memorándum de cooperación técnica con el Estado de Texas (demo)",
        "memorandum_of_understanding",
        "Gobierno del Estado de Texas",
        "government",
        "US",
        "US-TX",
        ["trade", "investment"],
        40,
        "in_review",
    ),
    (
        "enlace.tapachula@demo.mx",
        "Carta de intención con ACNUR para integración local (demo)",
        "letter_of_intent",
        "Alto Comisionado de las Naciones Unidas para los Refugiados",
        "international_organization",
        "",
        "",
        ["migration", "health"],
        30,
        "dictamen_issued",
    ),
    (
        "enlace.tapachula@demo.mx",
        "Cooperación técnica con Quetzaltenango en movilidad humana (demo)",
        "technical_cooperation",
        "Municipalidad de Quetzaltenango",
        "government",
        "GT",
        "GT-09",
        ["migration", "urban_development"],
        50,
        "awaiting_signature",
    ),
    (
        "enlace.jalisco@demo.mx",
        "Convenio universitario marco con la Universidad de Salamanca (demo)",
        *_SALAMANCA_FRAMEWORK,
        35,
        "closed",
    ),
    (
        "enlace.tapachula@demo.mx",
        "Acuerdo de salud fronteriza con la Municipalidad de Ayutla, Tecún Umán (demo)",
        "technical_cooperation",
        "Municipalidad de Ayutla",
        "government",
        "GT",
        "GT-12",
        ["health", "migration"],
        45,
        "terminated",
    ),
    (
        "enlace.jalisco@demo.mx",
        "Prórroga del convenio universitario marco con la Universidad de Salamanca (demo)",
        *_SALAMANCA_FRAMEWORK,
        40,
        "closed",
    ),
]
# Cases that modify or extend an agreement inscribed earlier in this list: case number -> (kind, case number).
AMENDS = {7: ("extension", 5)}


def _docx(text):
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile("texto-final-demo.docx", buffer.getvalue())


def _run(func, **kwargs):
    """Run a service, then walk the automatic steps it leads to, inside the loader's transaction.

    The tasks queued on commit find the case already moved on and do nothing (they are idempotent).
    """
    result = func(**kwargs)
    agreement_id = kwargs.get("agreement_id") or result.pk
    while True:
        status, step = Agreement.objects.values_list("status", "current_step").get(pk=agreement_id)
        if status not in workflow.AUTOMATIC_NEXT:
            return result
        services.agreement_walk_automatic(agreement_id=agreement_id, expected_step=step)


def _amendment(n: int, today: dt.date) -> dict:
    """The fields that make case ``n`` a modification or extension (an extension runs six years)."""
    if n not in AMENDS:
        return {}
    kind, original = AMENDS[n]
    return {"case_kind": kind, "amends": _registry_number(original, today), "term_years": 6}


def _registry_number(n: int, today: dt.date) -> str:
    return f"DEMO-{today:%Y}-{n:03d}"


def load() -> dict:
    if Agreement.objects.filter(is_demo=True).exists():
        return {"cases": 0}
    users = {u.email: u for u in User.objects.filter(is_demo=True)}
    dgcp, cja = users["dgcp@demo.mx"], users["cja@demo.mx"]
    today = timezone.localdate()
    for n, (filer_email, title, kind, counterpart, ctype, country, sub, themes, days, stage) in enumerate(CASES, 1):
        filer = users[filer_email]
        case = _run(
            services.agreement_create,
            user=filer,
            data={
                "title": title,
                "kind": kind,
                "counterpart_name": counterpart,
                "counterpart_type": ctype,
                "counterpart_country": country,
                "counterpart_subdivision": sub,
                "themes": themes,
                "intended_signing_date": today + dt.timedelta(days=days),
                "intended_signing_place": "Por definir",
                "urgency_reason": "",
                # "Cláusula 2. Vigencia de cuatro años", in force on signature.
                "entry_into_force": "on_signature",
                "term": "fixed",
                "term_years": 4,
                "term_months": 0,
                "automatic_renewal": n % 3 == 0,
                **_amendment(n, today),
            },
        )
        text = f"{title}\nCláusula 1. Objeto.\nCláusula 2. Vigencia de cuatro años.\nCláusula 3. Terminación."
        _run(
            services.document_upload,
            user=filer,
            agreement_id=case.pk,
            kind="request_letter",
            upload=demo_pdf(f"Oficio de solicitud de dictamen de procedencia: {title}"),
        )
        if stage == "draft":
            continue
        _run(services.document_upload, user=filer, agreement_id=case.pk, kind="final_text", upload=_docx(text))
        _run(services.agreement_submit, user=filer, agreement_id=case.pk)
        if stage == "in_review":
            continue
        outcome = "viable_with_observations" if stage == "awaiting_signature" else "viable"
        observations = (
            [{"text": "Precisar los compromisos financieros de cada parte.", "clause": "Cláusula 4"}]
            if (outcome == "viable_with_observations")
            else []
        )
        _run(
            services.dictamen_issue,
            user=cja,
            agreement_id=case.pk,
            outcome=outcome,
            summary="El instrumento se ajusta a la Ley sobre la Celebración de Tratados.",
            observations=observations,
        )
        if stage == "dictamen_issued":
            continue
        _run(services.dictamen_approve, user=dgcp, agreement_id=case.pk, cover_note="")
        if stage == "awaiting_signature":
            continue
        _run(
            services.signed_copy_submit,
            user=filer,
            agreement_id=case.pk,
            upload=demo_pdf(text),
            signed_on=today,
            signed_place="Tapachula, Chiapas" if "tapachula" in filer_email else "Guadalajara, Jalisco",
        )
        _run(
            services.agreement_register,
            user=cja,
            agreement_id=case.pk,
            registry_number=_registry_number(n, today),
            registered_on=today,
            recommendations_incorporated=True,
        )
        if stage == "terminated":  # ended by the parties: notified by the office, confirmed by the CJA
            termination = registry_services.termination_request(
                user=filer,
                entry=case.registry_entry,
                terminated_on=today,
                reason="Las partes acordaron darlo por terminado al concluir el programa conjunto de salud.",
                notice_letter=demo_pdf(f"Nota de terminación por mutuo consentimiento: {title}"),
            )
            registry_services.termination_confirm(user=cja, termination_id=termination.pk)
    return {"cases": len(CASES)}
