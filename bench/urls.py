from django.urls import path

from lms.urls import handler404, handler500
from lms.urls import urlpatterns as lms_urlpatterns

from . import views

urlpatterns = [
    path("bench/b0/", views.bare, name="bench-b0"),
    path("bench/b1/", views.one_read, name="bench-b1"),
    *lms_urlpatterns,
]

__all__ = ["handler404", "handler500", "urlpatterns"]
