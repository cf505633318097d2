from django.urls import path

from . import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="agreement_list"),
    path("nueva/", views.agreement_create, name="agreement_create"),
    path("bandeja-cja/", views.inbox_cja, name="inbox_cja"),
    path("bandeja-dgcp/", views.inbox_dgcp, name="inbox_dgcp"),
    path("tablero/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("<int:pk>/documentos/", views.document_upload, name="document_upload"),
    path("<int:pk>/documentos/<int:document_id>/descargar/", views.document_download, name="document_download"),
    path("<int:pk>/enviar/", views.agreement_submit, name="agreement_submit"),
    path("<int:pk>/revision/", views.revision_submit, name="revision_submit"),
    path("<int:pk>/dictamen/", views.dictamen_issue, name="dictamen_issue"),
    path("<int:pk>/dictamen/aprobar/", views.dictamen_approve, name="dictamen_approve"),
    path("<int:pk>/dictamen/devolver/", views.dictamen_return, name="dictamen_return"),
    path("<int:pk>/observaciones/responder/", views.observation_answer, name="observation_answer"),
    path("<int:pk>/firma/", views.signature_submit, name="signature_submit"),
    path("<int:pk>/registro/", views.registration_submit, name="registration_submit"),
    path("<int:pk>/registro/devolver/", views.signed_copy_return, name="signed_copy_return"),
    path("<int:pk>/devolver/", views.agreement_return, name="agreement_return"),
    path("<int:pk>/no-admitido/", views.agreement_not_admissible, name="agreement_not_admissible"),
    path("<int:pk>/retirar/", views.agreement_withdraw, name="agreement_withdraw"),
]
