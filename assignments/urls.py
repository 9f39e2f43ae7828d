from django.urls import path

from . import views

app_name = "assignments"
urlpatterns = [
    path("assign/", views.assign, name="assign"),
    path("training/<id:row_id>/extend/", views.extend, name="extend"),
    path("training/<id:row_id>/exempt/", views.exempt, name="exempt"),
    path("training/<id:row_id>/remind/", views.remind, name="remind"),
]
