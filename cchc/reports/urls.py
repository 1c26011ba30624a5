from django.urls import path

from cchc.reports import views

app_name = "reports"

urlpatterns = [
    path("bao-cao/", views.index, name="index"),
    path("bao-cao/tai-ve/", views.download, name="download"),
]
