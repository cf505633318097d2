from django.urls import path

from . import views

app_name = "institutions"
urlpatterns = [
    path("mi-cuenta/", views.account, name="account"),
    path("mi-cuenta/solicitar-acceso/", views.access_request, name="access_request"),
    path("solicitudes-de-acceso/", views.access_request_queue, name="access_request_queue"),
    path("solicitudes-de-acceso/<int:pk>/decidir/", views.access_request_decide, name="access_request_decide"),
    path("mis-tokens/", views.api_token_list, name="api_token_list"),
    path("mis-tokens/<slug:token_key>/revocar/", views.api_token_revoke, name="api_token_revoke"),
]
