from django.urls import path

from cchc.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi/<str:code>/", views.unit_home, name="unit_home"),
    path("don-vi/<str:code>/thu-tuc/", views.procedure_list, name="unit_procedures"),
    path(
        "don-vi/<str:code>/thu-tuc/<int:pk>/",
        views.procedure_detail,
        name="unit_procedure_detail",
    ),
    path("don-vi/<str:code>/thu-tuc/<int:pk>/nop-ho-so/", views.submit, name="unit_submit"),
    path(
        "don-vi/<str:code>/thu-tuc/<int:pk>/mau-don/<int:index>.<str:fmt>",
        views.blank_form,
        name="unit_blank_form",
    ),
    path("nop-ho-so/da-nop/<str:code>/", views.submitted, name="submitted"),
    path("thu-tuc/", views.procedure_list, name="procedures"),
    path("thu-tuc/<int:pk>/", views.procedure_detail, name="procedure_detail"),
    path("thu-tuc/<int:pk>/nop-ho-so/", views.submit, name="submit"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("tra-cuu/<str:code>/", views.lookup, name="lookup_code"),
]
