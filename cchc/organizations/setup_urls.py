from django.urls import path

from cchc.organizations import setup_views

app_name = "setup"

urlpatterns = [path("", setup_views.setup, name="setup")]
