from django.urls import path

from cchc.kpi import assessment_views, views

app_name = "kpi"

urlpatterns = [
    path("tong-quan/", views.overview, name="overview"),
    path("chi-so/", views.unit_dashboard, name="unit"),
    path("chi-so/tong-hop/", views.commune_rollup, name="rollup"),
    path("chi-so/766/", views.index766_page, name="index766"),
    path("chi-so/tu-danh-gia/", assessment_views.assessment_page, name="assessment"),
    path("chi-so/tu-danh-gia/danh-sach/", assessment_views.assessment_list, name="assessment_list"),
    path("chi-so/tu-danh-gia/bat-dau/", assessment_views.assessment_start, name="assessment_start"),
    path("chi-so/tu-danh-gia/<int:pk>/", assessment_views.assessment_act, name="assessment_act"),
]
