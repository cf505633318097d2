"""factory_boy factories for every concrete model of the project's apps (``test_factories`` lists them and fails
when a model has none), and the people of each role.

Each factory builds a row that passes ``full_clean`` and says something true about the domain: an agreement's
step, folio and dates follow its status (``workflow.step_for_status``), a dictamen is issued on its case's final
text, a termination is requested by an official of the signing office. Rows only: to get a case that can take
the next action (documents checked, timeline written), walk the services with the ``cases`` fixture.
"""

import datetime as dt
import hashlib
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from agreements import workflow
from agreements.choices import DocumentKind, Status
from agreements.registry.models import theme_keys
from portal.core.text import fold
from portal.core.uploads import DOCX, PDF
from portal.institutions.choices import Level, Role
from portal.institutions.models import Institution, User
from portal.institutions.roles import group_for
from tests import documents

PASSWORD = "Sup3r-Secreta-2026"


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Coordinación de Asuntos Internacionales {n}")
    acronym = factory.Sequence(lambda n: f"CAI{n}")
    level = Level.STATE
    state_id = "14"
    municipality_id = None


class MunicipalInstitutionFactory(InstitutionFactory):
    level = Level.MUNICIPAL
    state_id = "07"
    municipality_id = "07089"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persona{n}@gob.mx")
    first_name = "Persona"
    last_name = factory.Sequence(lambda n: f"Prueba {n}")
    institution = None
    is_demo = True  # demo accounts are exempt from the MFA requirement; tests of MFA set False

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(group_for(Role(extracted)))


def local_official(institution=None, **kwargs):
    return UserFactory(institution=institution or InstitutionFactory(), role=Role.LOCAL, **kwargs)


def dgcp_reviewer(**kwargs):
    return UserFactory(institution=Institution.objects.get(acronym="DGCP"), role=Role.DGCP, **kwargs)


def cja_reviewer(**kwargs):
    return UserFactory(institution=Institution.objects.get(acronym="CJA"), role=Role.CJA, **kwargs)


def cja_head(**kwargs):
    """The head of the CJA («Titular de la CJA»): a CJA member who also (re)assigns the office's cases."""
    user = cja_reviewer(**kwargs)
    user.groups.add(group_for(Role.CJA_HEAD))
    return user


def dgcp_head(**kwargs):
    user = dgcp_reviewer(**kwargs)
    user.groups.add(group_for(Role.DGCP_HEAD))
    return user


def analyst(**kwargs):
    return UserFactory(role=Role.ANALYST, **kwargs)


def admin_user(**kwargs):
    return UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True, **kwargs)


def future_date(days=60) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


# --- migrants and cooperation -----------------------------------------------------


def _many_to_many(field: str, default: list):
    def set_values(obj, create, extracted, **kwargs):
        if create:
            getattr(obj, field).set(default if extracted is None else extracted)

    return factory.PostGeneration(set_values)


class MigrantOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "migrants.MigrantOffice"
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    institutional_form = "direccion"
    populations = _many_to_many("populations", ["transit"])
    services = _many_to_many("services", ["legal_advice"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cooperation.Organisation"

    name = factory.Sequence(lambda n: f"Organismo de prueba {n}")
    acronym = factory.Sequence(lambda n: f"OP{n}")
    kind = "un_agency"


def _themes(names):
    return [PartnershipThemeFactory(name=name) for name in names]


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cooperation.Partnership"
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    instrument = "mou"
    title = factory.Sequence(lambda n: f"Memorándum de cooperación {n}")
    year = 2024
    status = "active"
    themes = factory.PostGeneration(
        lambda obj, create, extracted, **kwargs: (
            create and obj.themes.set(_themes(["Salud mental"] if extracted is None else extracted))
        )
    )
    populations = _many_to_many("populations", ["transit"])


class CityNetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cooperation.CityNetwork"

    name = factory.Sequence(lambda n: f"Red de ciudades {n}")
    kind = "city_network"


class NetworkMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cooperation.NetworkMembership"

    network = factory.SubFactory(CityNetworkFactory)
    state_id = "14"
    joined_year = 2020


class FocalPointFactory(factory.django.DjangoModelFactory):
    """A state's focal point (pass ``state_id=None, municipality_id=…`` for a municipality's)."""

    class Meta:
        model = "cooperation.FocalPoint"

    state_id = "14"
    name = factory.Sequence(lambda n: f"Enlace {n}")
    position = "Director de Asuntos Internacionales"
    email = factory.Sequence(lambda n: f"enlace{n}@jalisco.gob.mx")
    phone = "33 3030 0000"
    designated_on = dt.date(2025, 1, 15)


class PartnershipThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cooperation.PartnershipTheme"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Tema de cooperación {n}")


class GovernmentTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cooperation.GovernmentTerm"

    state_id = "14"
    started_on = dt.date(2024, 12, 6)
    ends_on = dt.date(2030, 12, 5)


class PopulationGroupFactory(factory.django.DjangoModelFactory):
    """A population of the fixed vocabulary (loaded with the reference data): the existing row."""

    class Meta:
        model = "migrants.PopulationGroup"
        django_get_or_create = ("key",)

    key = "transit"


class OfficeServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "migrants.OfficeService"
        django_get_or_create = ("key",)

    key = "legal_advice"


# --- geography: the 32 states and INEGI's municipalities are reference data -------------------------


class StateFactory(factory.django.DjangoModelFactory):
    """One of the 32 states, loaded with the reference data: the factory returns the existing row."""

    class Meta:
        model = "geography.State"
        django_get_or_create = ("code",)

    code = "14"
    name = "Jalisco"
    short_name = "Jalisco"
    iso_code = "MX-JAL"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    """A municipality INEGI has not numbered (codes 900-999 of a state), for rows that need one of their own."""

    class Meta:
        model = "geography.Municipality"

    state = factory.SubFactory(StateFactory)
    municipality_code = factory.Sequence(lambda n: f"{900 + n % 100:03d}")
    inegi_code = factory.LazyAttribute(lambda o: f"{o.state.code}{o.municipality_code}")
    name = factory.Sequence(lambda n: f"Municipio Nuevo {n}")
    search_name = factory.LazyAttribute(lambda o: fold(o.name))
    search_alias = factory.LazyAttribute(lambda o: fold(o.name))


class MigrationProfileFactory(factory.django.DjangoModelFactory):
    """A municipality's migration framework (states have theirs in the reference data)."""

    class Meta:
        model = "migrants.MigrationProfile"

    state = None
    municipality = factory.SubFactory(MunicipalityFactory)
    municipal_shelters = 2
    source = "Cabildo municipal"


class OfficeAbroadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "migrants.OfficeAbroad"

    office = factory.SubFactory(MigrantOfficeFactory)
    city = "Los Ángeles"
    region = "California"
    country = "US"
    is_liaison = True


# --- portal: access requests, notifications, audit ----------------------------------------------------


class AccessRequestFactory(factory.django.DjangoModelFactory):
    """A pending request of a person without a role to file for an existing office."""

    class Meta:
        model = "institutions.AccessRequest"

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = Role.LOCAL
    position = "Jefa de departamento"
    justification = "Daré seguimiento a los acuerdos de la coordinación."


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "audit.AuditEvent"

    actor = factory.SubFactory(UserFactory)
    action = "update"
    target_type = "institutions.institution"
    target_id = factory.Sequence(str)
    target_repr = factory.Sequence(lambda n: f"Coordinación {n}")
    changes = factory.LazyFunction(lambda: {"email": ["", "cai@jalisco.gob.mx"]})


# --- agreements: the case -------------------------------------------------------------------------------

_SENT_TERMINAL = {Status.CLOSED, Status.NOT_VIABLE, Status.NOT_ADMISSIBLE, Status.WITHDRAWN}
# Statuses after the DGCP delivered the dictamen (step 8) and after the signed copy came in (step 9).
_DELIVERED = {
    Status.AWAITING_SIGNATURE,
    Status.SIGNED,
    Status.REGISTRATION_REQUESTED,
    Status.INSCRIBED,
    Status.CLOSED,
}
_SIGNED = {Status.SIGNED, Status.REGISTRATION_REQUESTED, Status.INSCRIBED, Status.CLOSED}
_INSCRIBED = {Status.INSCRIBED, Status.CLOSED}


class ThemeFactory(factory.django.DjangoModelFactory):
    """A theme of the fixed vocabulary (rows written by a migration): the existing row."""

    class Meta:
        model = "agreements.Theme"
        django_get_or_create = ("key",)

    key = "culture"


def _when(statuses, value):
    """``value(obj)`` while the agreement's status is one of ``statuses``, else ``None``."""
    return factory.LazyAttribute(lambda o: value(o) if o.status in statuses else None)


class AgreementFactory(factory.django.DjangoModelFactory):
    """A case at ``status`` (a draft by default) with the step, folio and dates that status implies.

    A draft without documents waits on step 1; a sent case has its CJA deadline and sending time; after
    step 8 it carries the dictamen's outcome, after step 9 the signing date and place, after step 11 its
    registry number; an ended case has no step. The filer is a local official of the office.
    """

    class Meta:
        model = "agreements.Agreement"
        skip_postgeneration_save = True

    folio = factory.Sequence(lambda n: f"AII-2026-{900000 + n:06d}")
    title = factory.Sequence(lambda n: f"Acuerdo de cooperación técnica {n}")
    kind = "technical_cooperation"
    institution = factory.SubFactory(InstitutionFactory)
    created_by = factory.SubFactory(UserFactory, institution=factory.SelfAttribute("..institution"), role=Role.LOCAL)
    counterpart_name = "Ciudad de Kraków"
    counterpart_type = "government"
    counterpart_country = "PL"
    counterpart_subdivision = "PL-12"
    intended_signing_date = factory.LazyFunction(future_date)
    intended_signing_place = "Guadalajara, Jalisco"
    entry_into_force = "on_signature"
    term = "fixed"
    term_years = 3
    term_months = 0
    status = Status.DRAFT
    current_step = factory.LazyAttribute(lambda o: workflow.step_for_status(Status(o.status)))
    submitted_at = factory.LazyAttribute(lambda o: None if o.status == Status.DRAFT else timezone.now())
    cja_deadline = factory.LazyAttribute(
        lambda o: None if o.status == Status.DRAFT else workflow.cja_deadline(o.intended_signing_date)
    )
    dictamen_outcome = factory.LazyAttribute(
        lambda o: "viable" if o.status in _DELIVERED else "not_viable" if o.status == Status.NOT_VIABLE else ""
    )
    signed_on = _when(_SIGNED, lambda o: timezone.localdate())
    signed_place = factory.LazyAttribute(lambda o: "Kraków, Polonia" if o.status in _SIGNED else "")
    registry_number = _when(_INSCRIBED, lambda o: f"RAII-{o.folio}")
    registered_on = _when(_INSCRIBED, lambda o: timezone.localdate())
    recommendations_incorporated = _when(_INSCRIBED, lambda o: True)
    closed_at = _when(_SENT_TERMINAL, lambda o: timezone.now())
    search_text = factory.LazyAttribute(lambda o: fold(f"{o.folio} {o.title} {o.counterpart_name}"))
    themes = _many_to_many("themes", ["culture", "education"])


class DocumentFactory(factory.django.DjangoModelFactory):
    """The request letter (PDF) of a draft; ``kind="final_text"`` gives a Word file, as step 2 asks."""

    class Meta:
        model = "agreements.Document"
        exclude = ("content",)

    agreement = factory.SubFactory(AgreementFactory)
    kind = DocumentKind.REQUEST_LETTER
    content = factory.LazyAttribute(
        lambda o: documents.docx_bytes() if o.kind == DocumentKind.FINAL_TEXT else documents.pdf_bytes()
    )
    original_name = factory.LazyAttribute(
        lambda o: "texto-final.docx" if o.kind == DocumentKind.FINAL_TEXT else f"{o.kind}.pdf"
    )
    content_type = factory.LazyAttribute(lambda o: DOCX if o.kind == DocumentKind.FINAL_TEXT else PDF)
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name=o.original_name))
    size = factory.LazyAttribute(lambda o: len(o.content))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    uploaded_by = factory.SelfAttribute("agreement.created_by")


class DictamenFactory(factory.django.DjangoModelFactory):
    """The CJA's dictamen on a case's final text, waiting for the DGCP's approval (step 7 done)."""

    class Meta:
        model = "agreements.Dictamen"

    agreement = factory.SubFactory(AgreementFactory, status=Status.DICTAMEN_ISSUED)
    final_text = factory.SubFactory(
        DocumentFactory, agreement=factory.SelfAttribute("..agreement"), kind=DocumentKind.FINAL_TEXT
    )
    outcome = "viable"
    summary = "El instrumento es procedente."
    issued_by = factory.LazyFunction(lambda: cja_reviewer())


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "agreements.Observation"

    dictamen = factory.SubFactory(DictamenFactory, outcome="viable_with_observations")
    number = factory.Sequence(lambda n: n + 1)
    text = "Precisar las aportaciones de cada parte."
    clause = "Cláusula 3"


class TimelineEventFactory(factory.django.DjangoModelFactory):
    """The filer attaching the request letter of a draft (step 1)."""

    class Meta:
        model = "agreements.TimelineEvent"

    agreement = factory.SubFactory(AgreementFactory)
    actor = factory.SelfAttribute("agreement.created_by")
    actor_role = "local"
    action = "upload_document"
    completed_step = 1
    from_step = 1
    to_step = 2
    from_status = Status.DRAFT
    to_status = Status.DRAFT
    decision = DocumentKind.REQUEST_LETTER
    comment = "oficio.pdf"


class ReviewerAbsenceFactory(factory.django.DjangoModelFactory):
    """A CJA reviewer away for a week, another CJA reviewer standing in, recorded by the head of the CJA."""

    class Meta:
        model = "agreements.ReviewerAbsence"

    reviewer = factory.LazyFunction(lambda: cja_reviewer())
    delegate = factory.LazyFunction(lambda: cja_reviewer())
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=7))
    created_by = factory.LazyFunction(lambda: cja_head())


class NonWorkingDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "agreements.NonWorkingDay"

    date = factory.Sequence(lambda n: dt.date(2030, 1, 1) + dt.timedelta(days=n))
    description = "Día inhábil publicado en el DOF"


class NotificationFactory(factory.django.DjangoModelFactory):
    """The receipt the filer of a sent case gets (step 4)."""

    class Meta:
        model = "notifications.Notification"

    agreement = factory.SubFactory(AgreementFactory, status=Status.SUBMITTED)
    recipient = factory.SelfAttribute("agreement.created_by")
    event = "receipt"
    params = factory.LazyAttribute(lambda o: {"folio": o.agreement.folio})
    subject = factory.LazyAttribute(lambda o: f"Acuse de recibo {o.agreement.folio}")
    body = "Su solicitud fue recibida."
    url = factory.LazyAttribute(lambda o: f"/expedientes/{o.agreement.pk}/")


# --- the public registry ----------------------------------------------------------------------------------


def _set_entry_themes(entry, create, extracted, **kwargs):
    """The entry's themes, and the denormalised keys the registry services keep beside them."""
    if not create:
        return
    keys = ["culture", "education"] if extracted is None else list(extracted)
    entry.themes.set(keys)
    entry.theme_keys = theme_keys(keys)
    entry.save(update_fields=["theme_keys"])


class RegistryEntryFactory(factory.django.DjangoModelFactory):
    """An imported entry of a state government, signed 500 days ago and in force for five years.

    ``municipal=True`` gives one of Tapachula's; pass ``institution`` for an entry a portal office signed.
    """

    class Meta:
        model = "registry.RegistryEntry"
        skip_postgeneration_save = True

    class Params:
        municipal = factory.Trait(level="municipal", state_id="07", municipality_id="07089")

    registry_number = factory.Sequence(lambda n: f"RAII-F-{n:05d}")
    title = factory.Sequence(lambda n: f"Acuerdo de cooperación registrado {n}")
    kind = "technical_cooperation"
    level = "state"
    state_id = "14"
    municipality_id = None
    institution = None
    signing_office = factory.LazyAttribute(lambda o: o.institution.name if o.institution else "Gobierno de Jalisco")
    counterpart_name = "Región de Valonia"
    counterpart_type = "government"
    counterpart_country = "BE"
    region = "europe"
    source = "import"
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=500))
    signed_place = "Namur, Bélgica"
    registered_on = factory.LazyAttribute(lambda o: o.signed_on + dt.timedelta(days=30))
    expires_on = factory.LazyAttribute(lambda o: o.signed_on + dt.timedelta(days=5 * 365))
    search_text = factory.LazyAttribute(lambda o: fold(f"{o.title} {o.counterpart_name} {o.signing_office}"))
    themes = factory.PostGeneration(_set_entry_themes)


class RegistryStatFactory(factory.django.DjangoModelFactory):
    """A count of the statistics summary (the database keeps the real ones): a key no entry has."""

    class Meta:
        model = "registry.RegistryStat"

    dimension = "kind"
    key = factory.Sequence(lambda n: f"clave_{n}")
    entries = 1


class RegistryCertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registry.RegistryCertificate"
        exclude = ("content",)

    entry = factory.SubFactory(RegistryEntryFactory, source="workflow")
    content = factory.Sequence(lambda n: documents.pdf_bytes(f"Constancia de inscripción {n}"))
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name="constancia.pdf"))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    signed_copy_sha256 = factory.LazyFunction(lambda: hashlib.sha256(documents.pdf_bytes("Firmado")).hexdigest())


class RegistryAmendmentFactory(factory.django.DjangoModelFactory):
    """A modification inscribed against an entry: its own closed case, number and dates."""

    class Meta:
        model = "registry.RegistryAmendment"

    entry = factory.SubFactory(RegistryEntryFactory, source="workflow")
    kind = "modification"
    agreement = factory.SubFactory(
        AgreementFactory,
        status=Status.CLOSED,
        case_kind=factory.SelfAttribute("..kind"),
        amends=factory.SelfAttribute("..entry"),
    )
    registry_number = factory.LazyAttribute(lambda o: o.agreement.registry_number)
    signed_on = factory.LazyAttribute(lambda o: o.agreement.signed_on)
    registered_on = factory.LazyAttribute(lambda o: o.agreement.registered_on)
    expires_on = factory.LazyAttribute(lambda o: o.entry.expires_on)


class TerminationFactory(factory.django.DjangoModelFactory):
    """A termination an official of the signing office notified, waiting for the CJA."""

    class Meta:
        model = "registry.Termination"
        exclude = ("content",)

    entry = factory.SubFactory(RegistryEntryFactory, institution=factory.SubFactory(InstitutionFactory))
    terminated_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    reason = "Las partes acordaron darlo por terminado."
    content = factory.LazyFunction(lambda: documents.pdf_bytes("Nota de terminación"))
    notice_letter = factory.LazyAttribute(lambda o: ContentFile(o.content, name="terminacion.pdf"))
    notice_name = "terminacion.pdf"
    notice_sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    requested_by = factory.SubFactory(
        UserFactory, institution=factory.SelfAttribute("..entry.institution"), role=Role.LOCAL
    )


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registry.ImportJob"

    created_by = factory.LazyFunction(lambda: admin_user())
    file = factory.LazyFunction(lambda: ContentFile(b"registry_number,title\n", name="raii.csv"))
    original_name = "raii.csv"
    dry_run = True


class ExportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registry.ExportJob"

    file_format = "csv"
    params = factory.LazyFunction(lambda: {"state": "14"})
    fingerprint = factory.Sequence(lambda n: hashlib.sha256(f"export {n}".encode()).hexdigest())
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))


# --- follow-up of registered agreements ---------------------------------------------------------------------


class WorkPlanFactory(factory.django.DjangoModelFactory):
    """A two-year plan of an entry a portal office signed, recorded by one of its officials."""

    class Meta:
        model = "followup.WorkPlan"

    entry = factory.SubFactory(
        RegistryEntryFactory, source="workflow", institution=factory.SubFactory(InstitutionFactory)
    )
    starts_on = factory.SelfAttribute("entry.registered_on")
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=730))
    objectives = "Intercambio de experiencias en atención a personas migrantes."
    created_by = factory.SubFactory(
        UserFactory, institution=factory.SelfAttribute("..entry.institution"), role=Role.LOCAL
    )


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "followup.Activity"

    plan = factory.SubFactory(WorkPlanFactory)
    name = factory.Sequence(lambda n: f"Taller binacional {n}")
    responsible_name = "Ana López"
    responsible_email = "ana.lopez@jalisco.gob.mx"
    starts_on = factory.SelfAttribute("plan.starts_on")
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=90))
    budget = Decimal("150000.00")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "followup.Indicator"

    plan = factory.SubFactory(WorkPlanFactory)
    kind = "custom"
    name = factory.Sequence(lambda n: f"Personas capacitadas {n}")
    unit = "personas"
    baseline = Decimal("0")
    target = Decimal("40")


class ReportFactory(factory.django.DjangoModelFactory):
    """The first six-monthly report of a plan, filed by the official who recorded it."""

    class Meta:
        model = "followup.Report"

    plan = factory.SubFactory(WorkPlanFactory)
    period_start = factory.SelfAttribute("plan.starts_on")
    period_end = factory.LazyAttribute(lambda o: o.period_start + dt.timedelta(days=181))
    summary = "Se realizaron dos talleres y una visita técnica."
    submitted_by = factory.SelfAttribute("plan.created_by")


class ActivityProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "followup.ActivityProgress"

    report = factory.SubFactory(ReportFactory)
    activity = factory.SubFactory(ActivityFactory, plan=factory.SelfAttribute("..report.plan"))
    percent = 50


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "followup.IndicatorValue"

    report = factory.SubFactory(ReportFactory)
    indicator = factory.SubFactory(IndicatorFactory, plan=factory.SelfAttribute("..report.plan"))
    value = Decimal("12")


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "followup.Evidence"
        exclude = ("content",)

    report = factory.SubFactory(ReportFactory)
    content = factory.LazyFunction(lambda: documents.pdf_bytes("Lista de asistencia"))
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name="asistencia.pdf"))
    name = "asistencia.pdf"
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    size = factory.LazyAttribute(lambda o: len(o.content))
    uploaded_by = factory.SelfAttribute("report.submitted_by")


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "followup.Reminder"

    entry = factory.SubFactory(RegistryEntryFactory, institution=factory.SubFactory(InstitutionFactory))
    kind = "plan_missing"
    due_on = factory.LazyFunction(timezone.localdate)
    recipients = 1


class FollowupEventFactory(factory.django.DjangoModelFactory):
    """The plan of an entry recorded by the official who wrote it."""

    class Meta:
        model = "followup.FollowupEvent"

    entry = factory.SelfAttribute("plan.entry")
    actor = factory.SelfAttribute("plan.created_by")
    action = "plan_created"
    params = factory.LazyAttribute(lambda o: {"starts_on": o.plan.starts_on.isoformat()})

    class Params:
        plan = factory.SubFactory(WorkPlanFactory)
