from django.urls import path

from . import views

app_name = "classes"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/regenerate/", views.calendar_regenerate, name="calendar_regenerate"),
    path("calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("feed/<str:token>.ics", views.calendar_feed, name="feed"),
    path("on-site/", views.onsite_request, name="onsite_request"),
    path("<id:session_id>/", views.session_detail, name="detail"),
    path("<id:session_id>/book/", views.book, name="book"),
    path("<id:session_id>/cancel/", views.cancel, name="cancel"),
    path("<id:session_id>/event.ics", views.session_ics, name="ics"),
    path("<id:session_id>/attendance/", views.attendance, name="attendance"),
]
