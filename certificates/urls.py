from django.urls import path

from . import credential_views, views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.lookup, name="lookup"),
    path("verify/check-pdf/", views.check_pdf, name="check_pdf"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path(
        "verify/<str:code>/credential.json",
        credential_views.credential_json,
        name="credential_json",
    ),
    path(
        "verify/<str:code>/credential.jwt",
        credential_views.credential_jwt,
        name="credential_jwt",
    ),
    path("credentials/issuer/", credential_views.issuer, name="issuer"),
    path("credentials/jwks.json", credential_views.jwks, name="jwks"),
    path(
        "credentials/status/<slug:purpose>/",
        credential_views.status_list,
        name="status_list",
    ),
    path("certificates/<str:serial>/pdf/", views.download_pdf, name="pdf"),
    path(
        "certificates/experience/<id:level_id>/",
        views.attest_experience,
        name="attest_experience",
    ),
    path("certificates/external/new/", views.external_new, name="external_new"),
]
