from django.urls import path

from . import onboarding_views as views

app_name = "onboarding"

urlpatterns = [
    path(
        "activities/<int:activity_id>/complete/",
        views.complete_activity,
        name="complete",
    ),
    path("mentor/", views.mentor_view, name="mentor"),
    path("sign-off/<int:progress_id>/", views.sign_off, name="sign_off"),
]
