"""Top-level URLs: public portal at the root, staff pages under /quan-ly/, API under /api/v1/."""

from django.contrib import admin
from django.urls import include, path

from cchc.api.api import api
from cchc.core import views as core_views

admin.site.site_header = "Quản trị hệ thống CCHC"
admin.site.site_title = "Quản trị CCHC"
admin.site.index_title = "Danh mục dữ liệu"

urlpatterns = [
    path("healthz", core_views.health, name="health"),
    path("cai-dat/", include("cchc.organizations.setup_urls")),
    # Public pages first: they take the most traffic (look-ups from receipt QR codes).
    path("", include("cchc.portal.urls")),
    path("quan-tri/", admin.site.urls),
    path("api/v1/", api.urls),
    path("tai-khoan/", include("cchc.accounts.urls")),
    path("quan-ly/", include("cchc.core.urls")),
    path("quan-ly/", include("cchc.kpi.urls")),
    path("quan-ly/", include("cchc.audit.urls")),
    path("quan-ly/", include("cchc.organizations.urls")),
    path("quan-ly/", include("cchc.workdays.urls")),
    path("quan-ly/", include("cchc.plans.urls")),
    path("quan-ly/", include("cchc.dossiers.urls")),
    path("quan-ly/", include("cchc.backups.urls")),
    path("quan-ly/", include("cchc.feedback.urls")),
    path("quan-ly/", include("cchc.surveys.urls")),
    path("quan-ly/", include("cchc.payments.urls")),
    path("quan-ly/", include("cchc.documents.urls")),
    path("quan-ly/", include("cchc.reports.urls")),
    path("quan-ly/", include("cchc.simplification.urls")),
]

handler400 = "cchc.core.views.bad_request"
handler403 = "cchc.core.views.permission_denied"
handler404 = "cchc.core.views.page_not_found"
handler500 = "cchc.core.views.server_error"
