from django.urls import path

from cchc.kpi import views

app_name = "kpi"

urlpatterns = [
    path("tong-quan/", views.overview, name="overview"),
    path("chi-so/", views.unit_dashboard, name="unit"),
    path("chi-so/tong-hop/", views.commune_rollup, name="rollup"),
]
