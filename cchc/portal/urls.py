from django.urls import path

from cchc.portal import feedback_views, payment_views, survey_views, views

app_name = "portal"

urlpatterns = [
    # The busiest public page (every receipt's QR code) is matched first.
    path("tra-cuu/", views.lookup, name="lookup"),
    path("tra-cuu/<str:code>/", views.lookup, name="lookup_code"),
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
    path(
        "don-vi/<str:unit_code>/phan-anh-kien-nghi/",
        feedback_views.feedback_list,
        name="unit_feedback_list",
    ),
    path(
        "don-vi/<str:unit_code>/phan-anh-kien-nghi/gui/",
        feedback_views.feedback_submit,
        name="unit_feedback_submit",
    ),
    path(
        "don-vi/<str:unit_code>/phan-anh-kien-nghi/<str:code>/",
        feedback_views.feedback_detail,
        name="unit_feedback_detail",
    ),
    path(
        "don-vi/<str:code>/khao-sat/ket-qua/",
        survey_views.survey_results_list,
        name="unit_survey_results_list",
    ),
    path("nop-ho-so/da-nop/<str:code>/", views.submitted, name="submitted"),
    path("thu-tuc/", views.procedure_list, name="procedures"),
    path("thu-tuc/<int:pk>/", views.procedure_detail, name="procedure_detail"),
    path("thu-tuc/<int:pk>/nop-ho-so/", views.submit, name="submit"),
    path("phan-anh-kien-nghi/", feedback_views.feedback_list, name="feedback_list"),
    path("phan-anh-kien-nghi/gui/", feedback_views.feedback_submit, name="feedback_submit"),
    path(
        "phan-anh-kien-nghi/da-gui/<str:code>/",
        feedback_views.feedback_sent,
        name="feedback_sent",
    ),
    path(
        "phan-anh-kien-nghi/theo-doi/<str:code>/",
        feedback_views.feedback_track,
        name="feedback_track",
    ),
    path("phan-anh-kien-nghi/<str:code>/", feedback_views.feedback_detail, name="feedback_detail"),
    # Satisfaction surveys (issue 13)
    path("khao-sat/ket-qua/", survey_views.survey_results_list, name="survey_results_list"),
    path("khao-sat/ket-qua/<str:key>/", survey_views.survey_results, name="survey_results"),
    path("khao-sat/moi/<str:token>/", survey_views.survey_invitation, name="survey_invitation"),
    path("khao-sat/quay/<str:key>/", survey_views.survey_kiosk, name="survey_kiosk"),
    path("khao-sat/<str:key>/", survey_views.survey_take, name="survey_take"),
    path("danh-gia/<str:token>/", survey_views.survey_rate, name="survey_rate"),
    path("thanh-toan/<str:code>/", payment_views.payment, name="payment"),
]
