from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.mark_all_read, name="read_all"),
    path("<id:notification_id>/read/", views.mark_read, name="read"),
    path("settings/", views.email_settings, name="settings"),
]
