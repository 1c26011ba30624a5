from django.urls import path

from cchc.dossiers import apology_views, downloads, views, window_views

app_name = "dossiers"

urlpatterns = [
    path("ho-so/", views.queue, name="queue"),
    path("ho-so/tiep-nhan/", views.intake, name="intake"),
    path("ho-so/so-theo-doi/", views.book, name="book"),
    path("ho-so/chua-co-han/", views.undated, name="undated"),
    path("ho-so/thu-tuc/", views.procedure_list, name="procedures"),
    path("ho-so/thu-tuc/<int:pk>/dot-tiep-nhan/", window_views.windows, name="procedure_windows"),
    path(
        "ho-so/thu-tuc/dot-tiep-nhan/<int:pk>/xoa/",
        window_views.window_delete,
        name="window_delete",
    ),
    path("ho-so/<int:pk>/", views.detail, name="detail"),
    path("ho-so/<int:pk>/xu-ly/", views.act, name="act"),
    path("ho-so/<int:pk>/giay/<str:kind>.<str:fmt>", views.paper, name="paper"),
    path("ho-so/<int:pk>/giay/<str:kind>/ky-so/", apology_views.paper_sign, name="paper_sign"),
    path("ho-so/<int:pk>/xin-loi/trinh-ky/", apology_views.issue, name="apology_issue"),
    path("ho-so/<int:pk>/xin-loi/sua/", apology_views.revise, name="apology_revise"),
    path("ho-so/<int:pk>/xin-loi/da-trao/", apology_views.hand_over, name="apology_hand_over"),
    path("ho-so/<int:pk>/xin-loi/van-ban.pdf", apology_views.pdf, name="apology_pdf"),
    path("ho-so/tep/<int:pk>/", downloads.attachment, name="attachment"),
]
