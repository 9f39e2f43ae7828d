from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from oauth2_provider.views import TokenView
from rest_framework.routers import SimpleRouter

from . import learning, pages, views

router = SimpleRouter()
router.register("people", views.PeopleViewSet, basename="person")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("courses", views.CourseViewSet, basename="course")
router.register("certificates", views.CertificateViewSet, basename="certificate")
router.register("enrollments", learning.EnrollmentViewSet, basename="enrollment")
router.register("assignments", learning.AssignmentViewSet, basename="assignment")
router.register("results", learning.ResultViewSet, basename="result")
router.register("classes", learning.ClassViewSet, basename="class")
router.register("bookings", learning.BookingViewSet, basename="booking")

urlpatterns = [
    path("clients/", pages.clients, name="api_clients"),
    path(
        "clients/<int:client_id>/revoke/", pages.revoke_client, name="api_client_revoke"
    ),
    path("tokens/", pages.tokens, name="api_tokens"),
    path("tokens/<int:token_id>/revoke/", pages.revoke_token, name="api_token_revoke"),
    path("oauth/token/", TokenView.as_view(), name="api_token"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "docs/",
        pages.ApiDocsView.as_view(url_name="api_schema"),
        name="api_docs",
    ),
    re_path(
        r"^v1/verify/(?P<code>[^/]{1,100})/$",
        views.VerifyView.as_view(),
        name="api_verify",
    ),
    path("v1/", include(router.urls)),
    re_path(r"^", views.not_found),
]
