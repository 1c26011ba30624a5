from django.urls import path

from cchc.plans import downloads, views

app_name = "plans"

urlpatterns = [
    path("ke-hoach/", views.plan_list, name="list"),
    path("ke-hoach/nhap/", views.plan_import, name="import"),
    path("ke-hoach/nhap/<int:pk>/", views.plan_import_review, name="import_review"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="detail"),
    path("ke-hoach/<int:pk>/tai-ve.<str:fmt>", views.plan_export, name="export"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task_detail"),
    path("nhiem-vu/<int:pk>/tien-do/", views.task_progress, name="task_progress"),
    path("nhiem-vu/<int:pk>/phan-cong/", views.task_plan, name="task_plan"),
    path("nhiem-vu/<int:pk>/minh-chung/", views.task_evidence, name="task_evidence"),
    path("nhiem-vu/<int:pk>/trao-doi/", views.task_comment, name="task_comment"),
    path("minh-chung/<int:pk>/", downloads.evidence_file, name="evidence_file"),
    path("ky-thuc-hien/<int:pk>/", views.occurrence_toggle, name="occurrence_toggle"),
    path("viec-cua-toi/", views.my_work, name="my_work"),
    path("hoat-dong/", views.activity_list, name="activity_list"),
    path("hoat-dong/<int:pk>/trang-thai/", views.initiative_status, name="initiative_status"),
    path("hoat-dong/<int:pk>/tep/", downloads.activity_file, name="activity_file"),
]
