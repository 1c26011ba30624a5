from django.urls import path

from cchc.documents import exports, views

app_name = "documents"

urlpatterns = [
    path("van-ban/den/", views.incoming_list, name="incoming"),
    path("van-ban/den/<int:pk>/", views.incoming_detail, name="incoming_detail"),
    path("van-ban/den/<int:pk>/xu-ly/", views.incoming_act, name="incoming_act"),
    path("van-ban/den/<int:pk>/tep/", views.incoming_file, name="incoming_file"),
    path("van-ban/di/", views.outgoing_list, name="outgoing"),
    path("van-ban/di/du-thao/", views.outgoing_new, name="outgoing_new"),
    path("van-ban/di/<int:pk>/", views.outgoing_detail, name="outgoing_detail"),
    path("van-ban/di/<int:pk>/xu-ly/", views.outgoing_act, name="outgoing_act"),
    path("van-ban/di/<int:pk>/tep/", views.outgoing_file, name="outgoing_file"),
    path("van-ban/di/<int:pk>/word/", views.outgoing_docx, name="outgoing_docx"),
    path("van-ban/so/<str:book>.<str:fmt>", exports.register_export, name="register_export"),
    path("van-ban/chung-thu-so/", views.certificates, name="certificates"),
    path("van-ban/kiem-tra-chu-ky/", views.verify, name="verify"),
]
