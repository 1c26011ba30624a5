from django.urls import path

from cchc.kpi import views

app_name = "kpi"

urlpatterns = [path("tong-quan/", views.overview, name="overview")]
