from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt

from . import views

# django-scim2's adapters build resource locations from these names.
app_name = "scim"

urlpatterns = [
    re_path(
        r"^Users(?:/(?P<uuid>[^/]+))?$",
        csrf_exempt(views.PeopleView.as_view()),
        name="users",
    ),
    re_path(
        r"^Groups(?:/(?P<uuid>[^/]+))?$",
        csrf_exempt(views.RolesView.as_view()),
        name="groups",
    ),
    re_path(
        r"^ServiceProviderConfig$",
        csrf_exempt(views.ServiceProviderConfigView.as_view()),
        name="service-provider-config",
    ),
    re_path(
        r"^ResourceTypes(?:/(?P<uuid>[^/]+))?$",
        csrf_exempt(views.ResourceTypes.as_view()),
        name="resource-types",
    ),
    re_path(
        r"^Schemas(?:/(?P<uuid>[^/]+))?$",
        csrf_exempt(views.Schemas.as_view()),
        name="schemas",
    ),
    re_path(r"^$", csrf_exempt(views.not_found), name="root"),
    re_path(r"^.*$", csrf_exempt(views.not_found)),
]
