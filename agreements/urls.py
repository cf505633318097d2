from django.urls import path

from agreements.registry import urls as registry_urls

from .actions import HUMAN_ACTIONS
from .choices import ReviewerMove
from .views import cases as views
from .views import lookup, reviewers

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
    # The public registry's pages (agreements.registry), under the same names: agreements:registry_list, ...
    *registry_urls.urlpatterns,
]
