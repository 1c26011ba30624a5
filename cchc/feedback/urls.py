from django.urls import path

from cchc.feedback import register_views, settings_views, views

app_name = "feedback"

urlpatterns = [
    path("phan-anh/", views.feedback_list, name="list"),
    path("phan-anh/tiep-nhan/", views.intake, name="intake"),
    path("phan-anh/thanh-tra/", views.inspection, name="inspection"),
    path("phan-anh/cai-dat/", settings_views.unit_settings, name="settings"),
    path("phan-anh/so-tiep-nhan/", register_views.register, name="register"),
    path("phan-anh/<int:pk>/", views.detail, name="detail"),
    path("phan-anh/<int:pk>/xu-ly/", views.act, name="act"),
    path("phan-anh/tep/<int:pk>/", register_views.attachment, name="attachment"),
]
