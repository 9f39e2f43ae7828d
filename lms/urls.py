from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from people import data_views as people_data_views
from people import sso_views as people_sso_views

from . import views


class AccountLoginRedirect(RedirectView):
    """The Wagtail admin signs in through allauth: same rate limits, same MFA."""

    pattern_name = "account_login"
    query_string = True


urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("organization/", include("reports.urls")),
    path("team/", include("reports.team_urls")),
    path("team/", include("assignments.urls")),
    path("notifications/", include("notifications.urls")),
    path("my-data/", people_data_views.my_data, name="my_data"),
    path("scim/v2/", include("people.scim.urls")),
    path("api/", include("api.urls")),
    path("admin/login/", AccountLoginRedirect.as_view(), name="wagtailadmin_login"),
    path(
        "admin/logout/",
        RedirectView.as_view(pattern_name="account_logout"),
        name="wagtailadmin_logout",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path(
        "accounts/company/",
        people_sso_views.company_sign_in,
        name="company_sign_in",
    ),
    path("accounts/", include("allauth.urls")),
    path("exams/", include("exams.urls")),
    path("classes/", include("classes.urls")),
    path("onboarding-tasks/", include("onboarding.urls")),
    path("", include("certificates.urls")),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [re_path(r"", include(wagtail_urls))]

handler400 = "lms.views.bad_request"
handler404 = "lms.views.page_not_found"
handler500 = "lms.views.server_error"
