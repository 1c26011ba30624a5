from django.urls import path

from cchc.reports import views

app_name = "reports"

urlpatterns = [
    path("bao-cao/", views.index, name="index"),
    path("bao-cao/lap/", views.request_report, name="request"),
    path("bao-cao/<int:pk>/", views.report_detail, name="detail"),
    path("bao-cao/<int:pk>/ban-hanh/", views.report_issue, name="issue"),
    path("bao-cao/<int:pk>/noi-dung/", views.report_sections, name="sections"),
    path("bao-cao/<int:pk>/tep/<str:fmt>/", views.report_file_view, name="file"),
    path("bao-cao/lich/", views.reporting_calendar, name="calendar"),
    path("bao-cao/lich/sua/", views.calendar_edit, name="calendar_edit"),
    path("bao-cao/tai-ve/", views.download, name="download"),
]
