from django.urls import path

from cchc.portal import payment_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi/<str:code>/", views.unit_home, name="unit_home"),
    path("thu-tuc/", views.procedure_list, name="procedures"),
    path("thu-tuc/<int:pk>/", views.procedure_detail, name="procedure_detail"),
    path("thu-tuc/<int:pk>/nop-ho-so/", views.submit, name="submit"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("tra-cuu/<str:code>/", views.lookup, name="lookup_code"),
    path("thanh-toan/<str:code>/", payment_views.payment, name="payment"),
]
