"""A case walked through the services to the state a test needs, and the filing data it starts from."""

from agreements import services
from agreements.choices import Status
from tests import documents
from tests.factories import future_date

CASE_DATA = {
    "title": "Acuerdo de Hermanamiento entre Guadalajara y Kraków",
    "kind": "twinning",
    "counterpart_name": "Ciudad de Kraków",
    "counterpart_type": "government",
    "counterpart_country": "PL",
    "counterpart_subdivision": "PL-12",
    "themes": ["culture", "education"],
    "intended_signing_place": "Guadalajara, Jalisco",
    "urgency_reason": "",
    "entry_into_force": "on_signature",
    "term": "fixed",
    "term_years": 3,
    "term_months": 0,
    "automatic_renewal": False,
}

SIGNED_TEXT = "Cláusula 1. Objeto. Cláusula 2. Vigencia de cinco años."


class CaseBuilder:
    """Walks a case through the services to the state a test needs (on-commit work executed)."""

    def __init__(self, run_on_commit, local, dgcp, cja):
        self.run, self.local, self.dgcp, self.cja = run_on_commit, local, dgcp, cja
        self.counter = 0
        self.defaults = {}  # e.g. a modification's case_kind and amends, for every case built next

    def draft(self, **overrides):
        data = {**CASE_DATA, "intended_signing_date": future_date(60), **self.defaults, **overrides}
        return self.run(services.agreement_create, user=self.local, data=data)

    def with_documents(self, **overrides):
        case = self.draft(**overrides)
        self.run(
            services.document_upload,
            user=self.local,
            agreement_id=case.pk,
            kind="request_letter",
            upload=documents.pdf_upload(),
        )
        self.run(
            services.document_upload,
            user=self.local,
            agreement_id=case.pk,
            kind="final_text",
            upload=documents.docx_upload(text=f"Cláusula 1. Objeto {case.pk}.\nCláusula 2. Vigencia de cinco años."),
        )
        return case

    def in_review(self, **overrides):
        case = self.with_documents(**overrides)
        self.run(services.agreement_submit, user=self.local, agreement_id=case.pk)
        case.refresh_from_db()
        assert case.status == Status.IN_REVIEW, case.status
        return case

    def dictamen_issued(self, outcome="viable", observations=()):
        case = self.in_review()
        self.run(
            services.dictamen_issue,
            user=self.cja,
            agreement_id=case.pk,
            outcome=outcome,
            summary="El instrumento es procedente.",
            observations=list(observations),
        )
        case.refresh_from_db()
        return case

    def awaiting_signature(self, outcome="viable", observations=()):
        case = self.dictamen_issued(outcome, observations)
        self.run(services.dictamen_approve, user=self.dgcp, agreement_id=case.pk, cover_note="")
        case.refresh_from_db()
        return case

    def registration_requested(self, upload=None):
        case = self.awaiting_signature()
        self.run(
            services.signed_copy_submit,
            user=self.local,
            agreement_id=case.pk,
            upload=upload or documents.pdf_upload("firmado.pdf", SIGNED_TEXT),
            signed_on=services.today(),
            signed_place="Kraków, Polonia",
        )
        case.refresh_from_db()
        assert case.status == Status.REGISTRATION_REQUESTED, case.status
        return case

    def closed(self, registry_number="RAII-2026-0042", upload=None):
        """Registered by the CJA (step 11) and closed by the system (step 12): in the public registry."""
        case = self.registration_requested(upload=upload)
        self.run(
            services.agreement_register,
            user=self.cja,
            agreement_id=case.pk,
            registry_number=registry_number,
            registered_on=services.today(),
            recommendations_incorporated=True,
        )
        case.refresh_from_db()
        assert case.status == Status.CLOSED, case.status
        return case
