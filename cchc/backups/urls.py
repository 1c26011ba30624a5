from django.urls import path

from cchc.backups import views

app_name = "backups"

urlpatterns = [
    path("sao-luu/", views.status, name="status"),
]
