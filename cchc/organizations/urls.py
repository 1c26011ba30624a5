from django.urls import path

from cchc.organizations import views

app_name = "organizations"

urlpatterns = [
    path("don-vi/", views.unit_list, name="unit_list"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
]
