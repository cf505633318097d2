"""Reference views of the benchmark (mounted at ``/bench/`` only when ``PORTAL_BENCH_VIEWS`` is on)."""

from django.urls import path

from . import views

app_name = "bench"
urlpatterns = [
    path("hello/", views.hello, name="hello"),
    path("raw/cja-inbox/", views.raw_cja_inbox, name="raw_cja_inbox"),
    path("raw/dgcp-inbox/", views.raw_dgcp_inbox, name="raw_dgcp_inbox"),
    path("raw/dashboard/", views.raw_dashboard, name="raw_dashboard"),
    path("raw/agreements/", views.raw_agreements, name="raw_agreements"),
    path("raw/registry/", views.raw_registry, name="raw_registry"),
    path("raw/registry-stats/", views.raw_registry_stats, name="raw_registry_stats"),
]
