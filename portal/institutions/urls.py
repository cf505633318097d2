from django.urls import path

from . import views

app_name = "institutions"
urlpatterns = [
    path("mi-cuenta/", views.account, name="account"),
    path("mis-tokens/", views.api_token_list, name="api_token_list"),
    path("mis-tokens/<slug:token_key>/revocar/", views.api_token_revoke, name="api_token_revoke"),
]
