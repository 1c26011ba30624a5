from django.urls import path

from cchc.simplification import views

app_name = "simplification"

urlpatterns = [
    path("don-gian-hoa/", views.review_list, name="list"),
    path("don-gian-hoa/<int:pk>/", views.review_detail, name="detail"),
    path("don-gian-hoa/<int:pk>/sua/", views.review_edit, name="edit"),
    path("don-gian-hoa/<int:pk>/xu-ly/", views.review_act, name="act"),
    path("don-gian-hoa/<int:pk>/to-trinh.<str:fmt>", views.review_export, name="export"),
    path("don-gian-hoa/thu-tuc/<int:pk>/", views.procedure_page, name="procedure"),
]
