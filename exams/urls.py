from django.urls import path

from . import views

app_name = "exams"

urlpatterns = [
    # Under "attempts/", which no page can take (the exams index page is /exams/).
    path("attempts/new/<id:exam_id>/", views.start_view, name="start"),
    path("attempts/<uuid:public_id>/", views.attempt_view, name="attempt"),
    path("attempts/<uuid:public_id>/save/", views.save_view, name="save"),
    path("attempts/<uuid:public_id>/answer/", views.answer_view, name="answer"),
    path("attempts/<uuid:public_id>/status/", views.status_view, name="status"),
    path("attempts/<uuid:public_id>/submit/", views.submit_view, name="submit"),
    path("attempts/<uuid:public_id>/result/", views.result_view, name="result"),
    path(
        "attempts/<uuid:public_id>/tasks/<id:position>/files/",
        views.upload_view,
        name="upload",
    ),
    path(
        "attempts/<uuid:public_id>/files/<id:file_id>/",
        views.download_upload_view,
        name="download_upload",
    ),
    path(
        "attempts/<uuid:public_id>/files/<id:file_id>/remove/",
        views.remove_upload_view,
        name="remove_upload",
    ),
    path("attempts/<uuid:public_id>/appeal/", views.appeal_view, name="appeal"),
]
