from django.urls import path

from cchc.organizations import staff_views, views

app_name = "organizations"

urlpatterns = [
    path("don-vi/", views.unit_list, name="unit_list"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("nhan-su/them/", staff_views.staff_new, name="staff_new"),
    path("nhan-su/nhap/", staff_views.staff_import, name="staff_import"),
    path("nhan-su/mau.xlsx", staff_views.staff_template, name="staff_template"),
    path("nhan-su/<int:pk>/sua/", staff_views.staff_edit, name="staff_edit"),
    path("nhan-su/<int:pk>/tai-khoan/", staff_views.staff_account, name="staff_account"),
]
