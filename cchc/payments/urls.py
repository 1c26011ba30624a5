from django.urls import path

from cchc.payments import views

app_name = "payments"

urlpatterns = [
    path("thu-phi/", views.bill_list, name="bills"),
    path("thu-phi/<int:pk>/", views.bill_detail, name="bill_detail"),
    path("thu-phi/<int:pk>/tien-mat/", views.bill_cash, name="bill_cash"),
    path("thu-phi/khoan-thu/", views.fee_list, name="fees"),
    path("thu-phi/khoan-thu/<int:pk>/lap-giay-bao/", views.fee_bill, name="fee_bill"),
    path(
        "thu-phi/khoan-thu/<int:pk>/giay-bao.<str:fmt>",
        views.notices,
        name="notices",
    ),
    path("thu-phi/bien-lai/<int:pk>.<str:fmt>", views.receipt, name="receipt"),
    path("thu-phi/sao-ke/", views.statements, name="statements"),
    path("thu-phi/cho-ghep/", views.queue, name="queue"),
    path("thu-phi/cho-ghep/<int:pk>/ghep/", views.line_match, name="line_match"),
    path("thu-phi/cho-ghep/<int:pk>/bo-qua/", views.line_ignore, name="line_ignore"),
    path("thu-phi/chi-so/", views.dashboard, name="dashboard"),
]
