from django.urls import path

from cchc.surveys import views

app_name = "surveys"

urlpatterns = [
    path("khao-sat/", views.campaigns, name="campaigns"),
    path("khao-sat/tao/", views.campaign_create, name="create"),
    path("khao-sat/mau-phieu/", views.templates, name="templates"),
    path("khao-sat/mau-phieu/<int:pk>/phien-ban-moi/", views.template_version, name="version"),
    path("khao-sat/ho-so/<int:dossier_pk>/phieu-danh-gia/", views.rating_card, name="rating_card"),
    path("khao-sat/<int:pk>/", views.detail, name="detail"),
    path("khao-sat/<int:pk>/thao-tac/", views.act, name="act"),
    path("khao-sat/<int:pk>/ap-phich/", views.poster, name="poster"),
    path("khao-sat/<int:pk>/phieu-moi/", views.slips, name="slips"),
    path("khao-sat/<int:pk>/xuat.<str:fmt>", views.export, name="export"),
]
