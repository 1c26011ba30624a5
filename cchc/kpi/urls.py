from django.urls import path

from cchc.kpi import assessment_views, scorecard_views, views

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
# Per-person scorecards (issue 16 item 6).
urlpatterns += [
    path("ket-qua-ca-nhan/", scorecard_views.scorecard_mine, name="scorecard_mine"),
    path("ket-qua-ca-nhan/xep-hang/", scorecard_views.scorecard_list, name="scorecard_list"),
    path("ket-qua-ca-nhan/xep-hang/xlsx/", scorecard_views.scorecard_xlsx, name="scorecard_xlsx"),
    path("ket-qua-ca-nhan/<int:pk>/", scorecard_views.scorecard_detail, name="scorecard_detail"),
    path(
        "ket-qua-ca-nhan/<int:pk>/<str:fmt>/",
        scorecard_views.scorecard_paper_view,
        name="scorecard_paper",
    ),
]
