"""Each receiver turns one event of a lower app into a notification."""

from certificates.signals import certificate_issued
from onboarding.signals import activity_reviewed, activity_submitted

from . import notices


def on_certificate_issued(sender, certificate, **kwargs):
    notices.certificate_issued(certificate)


def on_activity_submitted(sender, progress, **kwargs):
    notices.activity_submitted(progress)


def on_activity_reviewed(sender, progress, approved, **kwargs):
    notices.activity_reviewed(progress, approved=approved)


def connect() -> None:
    certificate_issued.connect(
        on_certificate_issued, dispatch_uid="notifications.certificate_issued"
    )
    activity_submitted.connect(
        on_activity_submitted, dispatch_uid="notifications.activity_submitted"
    )
    activity_reviewed.connect(
        on_activity_reviewed, dispatch_uid="notifications.activity_reviewed"
    )
