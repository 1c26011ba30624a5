from django.urls import path

from cchc.workdays import views

app_name = "workdays"

urlpatterns = [
    path("lich-lam-viec/", views.year, name="year"),
    path("lich-lam-viec/dieu-chinh/", views.override_create, name="override_create"),
    path("lich-lam-viec/cach-tinh-han/", views.rules_update, name="rules"),
    path("lich-lam-viec/dieu-chinh/<int:pk>/xoa/", views.override_delete, name="override_delete"),
]
