from django.urls import path

from . import organization_views

app_name = "organization_reports"
urlpatterns = [
    path("", organization_views.organization_report, name="index"),
    path(
        "people/<id:user_id>/",
        organization_views.organization_person,
        name="person",
    ),
]
