from django.urls import path

from .actions import HUMAN_ACTIONS
from .choices import ReviewerMove
from .views import cases as views
from .views import lookup, open_data, registry, reviewers, terminations

app_name = "agreements"
urlpatterns = [
    path("expedientes/", views.agreement_list, name="agreement_list"),
    path("expedientes/nueva/", views.agreement_create, name="agreement_create"),
    path("expedientes/bandeja-cja/", views.inbox_cja, name="inbox_cja"),
    path("expedientes/bandeja-dgcp/", views.inbox_dgcp, name="inbox_dgcp"),
    path("expedientes/tablero/", views.dashboard, name="dashboard"),
    path("expedientes/ausencias/", reviewers.reviewer_absences, name="reviewer_absences"),
    path("expedientes/<int:pk>/tomar/", reviewers.reviewer_move, {"move": ReviewerMove.TAKE}, name="reviewer_take"),
    path(
        "expedientes/<int:pk>/liberar/",
        reviewers.reviewer_move,
        {"move": ReviewerMove.RELEASE},
        name="reviewer_release",
    ),
    path(
        "expedientes/<int:pk>/asignar/", reviewers.reviewer_move, {"move": ReviewerMove.ASSIGN}, name="reviewer_assign"
    ),
    path("expedientes/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("expedientes/<int:pk>/editar/", views.agreement_edit, name="agreement_edit"),
    path(
        "expedientes/<int:pk>/documentos/<int:document_id>/descargar/",
        views.document_download,
        name="document_download",
    ),
    # One route per human action of the table, all served by the one action view.
    *(
        path(
            f"expedientes/<int:pk>/{spec.html_path}",
            views.agreement_action,
            {"action": spec.action},
            name=spec.html_name,
        )
        for spec in HUMAN_ACTIONS
    ),
    path("consulta/", lookup.case_lookup, name="case_lookup"),
    path("registro/", registry.registry_list, name="registry_list"),
    path("registro/exportar/", registry.registry_export, name="registry_export"),
    path("registro/exportar/<uuid:pk>/", registry.registry_export_job, name="registry_export_job"),
    path("registro/exportar/<uuid:pk>/archivo/", registry.registry_export_file, name="registry_export_file"),
    path("registro/cambios.atom", open_data.registry_feed, name="registry_feed"),
    path("registro/dcat.jsonld", open_data.registry_dcat, name="registry_dcat"),
    path("registro/estadisticas/", registry.registry_stats, name="registry_stats"),
    path("registro/estadisticas/<str:dimension>.csv", registry.registry_stats_csv, name="registry_stats_csv"),
    path("registro/importar/", registry.registry_import, name="registry_import"),
    path("registro/importar/<int:pk>/", registry.registry_import_detail, name="registry_import_detail"),
    path("registro/acuerdo/<registry_number:registry_number>/", registry.registry_detail, name="registry_detail"),
    path(
        "registro/acuerdo/<registry_number:registry_number>/constancia.pdf",
        registry.registry_certificate,
        name="registry_certificate",
    ),
    path("verificar-constancia/", registry.certificate_verify, name="certificate_verify"),
    path(
        "registro/acuerdo/<registry_number:registry_number>/terminacion/",
        terminations.termination_create,
        name="termination_create",
    ),
    path("registro/terminaciones/", terminations.termination_queue, name="termination_queue"),
    path("registro/terminaciones/<int:pk>/confirmar/", terminations.termination_confirm, name="termination_confirm"),
    path("registro/terminaciones/<int:pk>/devolver/", terminations.termination_return, name="termination_return"),
    path("registro/terminaciones/<int:pk>/nota.pdf", terminations.termination_notice, name="termination_notice"),
]
