from django.urls import path

from . import views

app_name = "geography"
urlpatterns = [
    path("estados/", views.state_directory, name="state_list"),
    path("estados/comparacion/", views.state_comparison, name="state_comparison"),
    path("estados/<state_code:code>/", views.state_profile, name="state_detail"),
    path("municipios/", views.municipality_search, name="municipality_list"),
    path("municipios/<inegi_code:inegi_code>/", views.municipality_profile, name="municipality_detail"),
    path("gobiernos/<government_kind:kind>/<government_code:code>/entrega/", views.handover_report, name="handover"),
]
