"""Pages of the public registry. They are served in the ``agreements`` URL namespace (``agreements/urls.py``
includes these patterns), so their names stay ``agreements:registry_list``, ``agreements:termination_queue``..."""

from django.urls import path

from .views import entries as registry
from .views import open_data, terminations

urlpatterns = [
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
