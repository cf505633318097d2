"""Every concrete model of the project's apps has a factory, and every factory builds a row the model accepts."""

import inspect

import factory
import pytest
from django.apps import apps
from simple_history.models import HistoricalChanges

from agreements import workflow
from agreements.choices import Status
from tests import factories

PROJECT_PACKAGES = {"portal", "agreements", "migrants", "cooperation"}


def project_models() -> list[type]:
    """The models the project declares: no third-party, auto-created (many-to-many) or history models."""
    return [
        model
        for model in apps.get_models()
        if model.__module__.split(".")[0] in PROJECT_PACKAGES
        and not model._meta.auto_created
        and not model._meta.proxy
        and not issubclass(model, HistoricalChanges)
    ]


FACTORIES = [
    cls
    for _name, cls in inspect.getmembers(factories, inspect.isclass)
    if issubclass(cls, factory.django.DjangoModelFactory) and cls.__module__ == factories.__name__
]


def test_every_model_of_the_project_has_a_factory():
    covered = {cls._meta.get_model_class() for cls in FACTORIES}
    missing = sorted(model._meta.label for model in project_models() if model not in covered)
    assert not missing, f"models without a factory in tests/factories.py: {missing}"


def test_the_list_of_models_is_the_project_s():
    labels = {model._meta.label for model in project_models()}
    assert {"agreements.Agreement", "registry.RegistryEntry", "followup.Evidence", "geography.State"} <= labels
    assert not {label for label in labels if "Historical" in label or label.startswith(("auth.", "knox."))}


@pytest.mark.django_db
@pytest.mark.parametrize("factory_class", FACTORIES, ids=lambda cls: cls.__name__)
def test_each_factory_builds_a_valid_row(factory_class):
    row = factory_class()
    row.full_clean()
    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(Status))
def test_an_agreement_at_any_status_is_at_the_step_that_status_waits_on(status):
    case = factories.AgreementFactory(status=status)
    case.full_clean()
    assert case.current_step == workflow.step_for_status(status)
    assert (case.current_step is None) is (status in workflow.TERMINAL_STATUSES)
    assert (case.submitted_at is None) is (status == Status.DRAFT)
    assert bool(case.registry_number) is (status in {Status.INSCRIBED, Status.CLOSED})


@pytest.mark.django_db
def test_an_ended_case_passes_full_clean():
    """An ended case has no step (the database constraint terminal_has_no_step), and full_clean accepts that."""
    factories.AgreementFactory(status=Status.CLOSED).full_clean()


@pytest.mark.django_db
def test_rows_that_belong_together_are_linked():
    dictamen = factories.DictamenFactory()
    assert dictamen.final_text.agreement == dictamen.agreement and dictamen.final_text.kind == "final_text"
    termination = factories.TerminationFactory()
    assert termination.requested_by.institution == termination.entry.institution
    progress = factories.ActivityProgressFactory()
    assert progress.activity.plan == progress.report.plan
    assert factories.RegistryEntryFactory().theme_keys == ["culture", "education"]
