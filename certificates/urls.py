from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.lookup, name="lookup"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("certificates/<str:serial>/pdf/", views.download_pdf, name="pdf"),
    path(
        "certificates/experience/<id:level_id>/",
        views.attest_experience,
        name="attest_experience",
    ),
    path("certificates/external/new/", views.external_new, name="external_new"),
]
