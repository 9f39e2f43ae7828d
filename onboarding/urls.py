from django.urls import path

from . import views

app_name = "onboarding"

urlpatterns = [
    path(
        "activities/<id:activity_id>/complete/",
        views.complete_activity,
        name="complete",
    ),
    path("mentor/", views.mentor_view, name="mentor"),
    path("sign-off/<id:progress_id>/", views.sign_off, name="sign_off"),
]
