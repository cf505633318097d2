from django.urls import path

from .views import cases as views
from .views import registry

app_name = "agreements"
urlpatterns = [
    path("expedientes/", views.agreement_list, name="agreement_list"),
    path("expedientes/nueva/", views.agreement_create, name="agreement_create"),
    path("expedientes/bandeja-cja/", views.inbox_cja, name="inbox_cja"),
    path("expedientes/bandeja-dgcp/", views.inbox_dgcp, name="inbox_dgcp"),
    path("expedientes/tablero/", views.dashboard, name="dashboard"),
    path("expedientes/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("expedientes/<int:pk>/editar/", views.agreement_edit, name="agreement_edit"),
    path("expedientes/<int:pk>/documentos/", views.document_upload, name="document_upload"),
    path(
        "expedientes/<int:pk>/documentos/<int:document_id>/descargar/",
        views.document_download,
        name="document_download",
    ),
    path("expedientes/<int:pk>/enviar/", views.agreement_submit, name="agreement_submit"),
    path("expedientes/<int:pk>/revision/", views.revision_submit, name="revision_submit"),
    path("expedientes/<int:pk>/dictamen/", views.dictamen_issue, name="dictamen_issue"),
    path("expedientes/<int:pk>/dictamen/aprobar/", views.dictamen_approve, name="dictamen_approve"),
    path("expedientes/<int:pk>/dictamen/devolver/", views.dictamen_return, name="dictamen_return"),
    path("expedientes/<int:pk>/observaciones/responder/", views.observation_answer, name="observation_answer"),
    path("expedientes/<int:pk>/firma/", views.signature_submit, name="signature_submit"),
    path("expedientes/<int:pk>/registro/", views.registration_submit, name="registration_submit"),
    path("expedientes/<int:pk>/registro/devolver/", views.signed_copy_return, name="signed_copy_return"),
    path("expedientes/<int:pk>/devolver/", views.agreement_return, name="agreement_return"),
    path("expedientes/<int:pk>/no-admitido/", views.agreement_not_admissible, name="agreement_not_admissible"),
    path("expedientes/<int:pk>/retirar/", views.agreement_withdraw, name="agreement_withdraw"),
    path("registro/", registry.registry_list, name="registry_list"),
    path("registro/exportar/", registry.registry_export, name="registry_export"),
    path("registro/estadisticas/", registry.registry_stats, name="registry_stats"),
    path("registro/estadisticas/<str:dimension>.csv", registry.registry_stats_csv, name="registry_stats_csv"),
    path("registro/importar/", registry.registry_import, name="registry_import"),
    path("registro/importar/<int:pk>/", registry.registry_import_detail, name="registry_import_detail"),
    path("registro/acuerdo/<path:registry_number>/", registry.registry_detail, name="registry_detail"),
]
