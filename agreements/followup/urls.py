from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("seguimiento/", views.dashboard, name="dashboard"),
    path("seguimiento/acuerdos/<registry_number:registry_number>/", views.entry_detail, name="entry_detail"),
    path("seguimiento/acuerdos/<registry_number:registry_number>/plan/", views.plan_save, name="plan_save"),
    path(
        "seguimiento/acuerdos/<registry_number:registry_number>/actividades/",
        views.activity_add,
        name="activity_add",
    ),
    path(
        "seguimiento/acuerdos/<registry_number:registry_number>/indicadores/",
        views.indicator_add,
        name="indicator_add",
    ),
    path(
        "seguimiento/acuerdos/<registry_number:registry_number>/informes/nuevo/",
        views.report_create,
        name="report_create",
    ),
    path("seguimiento/evidencias/<int:pk>/", views.evidence_download, name="evidence_download"),
    path(
        "gobiernos/<government_kind:kind>/<government_code:code>/informe-anual/<int:year>/",
        views.annual_report,
        name="annual_report",
    ),
    path(
        "gobiernos/<government_kind:kind>/<government_code:code>/informe-anual/<int:year>.pdf",
        views.annual_report_pdf,
        name="annual_report_pdf",
    ),
]
