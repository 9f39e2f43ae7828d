from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .models import OutboundEmail


@transaction.atomic
def queue_email(
    *, to: list[str], subject: str, body_text: str, body_html: str = "", from_email=""
) -> OutboundEmail:
    """Record an e-mail and have a worker deliver it once this transaction commits."""
    from .tasks import send_queued_email

    email = OutboundEmail.objects.create(
        to=list(to),
        subject=subject.strip().replace("\n", " "),
        body_text=body_text,
        body_html=body_html,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
    )
    transaction.on_commit(lambda: send_queued_email.delay(email.pk))
    return email


def send_queued_email(*, email_id: int) -> bool:
    """Deliver one queued e-mail unless it already went out; True when sent now.

    The row stays locked from the check until ``sent_at`` commits, so two workers
    handed the same id (a retry, a duplicate, a redelivery after a worker was
    killed) send it once: the second waits for the lock and finds it sent. A
    failure reported by the mail server rolls back and re-raises, for a retry.

    One window is left, as in any at-least-once delivery: a worker killed after the
    mail server took the message but before ``sent_at`` commits sends it again when
    the task is redelivered. Both copies carry the same Message-ID (made from the
    row), so mail systems and clients recognise the second as a duplicate.
    """
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.sent_at is not None:
            return False
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body_text,
            from_email=email.from_email,
            to=email.to,
            headers={"Message-ID": message_id(email)},
        )
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        message.send()
        email.sent_at = timezone.now()
        email.save(update_fields=["sent_at"])
        return True


def queue_stalled_emails(
    *,
    older_than: timedelta = timedelta(minutes=15),
    within: timedelta = timedelta(days=2),
) -> int:
    """Hand every e-mail still unsent after ``older_than`` to a worker again; the
    number handed over.

    A broker can lose a task: a worker killed between taking it from the queue
    and recording it as unacknowledged leaves it nowhere. The row is the record
    of what must go out, so a periodic sweep closes that gap; a task that was
    only late finds the row sent (or locked) and does nothing. E-mails older
    than ``within`` are left alone: nobody wants a reminder from last week.
    """
    from .tasks import send_queued_email

    now = timezone.now()
    ids = list(
        OutboundEmail.objects.filter(
            sent_at__isnull=True,
            created_at__lt=now - older_than,
            created_at__gte=now - within,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:STALLED_BATCH]
    )
    for email_id in ids:
        send_queued_email.delay(email_id)
    return len(ids)


STALLED_BATCH = 500


def message_id(email: OutboundEmail) -> str:
    """The same Message-ID for every delivery attempt of one queued e-mail."""
    domain = (email.from_email or settings.DEFAULT_FROM_EMAIL).rpartition("@")[2]
    domain = domain.strip("> ") or "localhost"
    return f"<outbound.{email.pk}.{int(email.created_at.timestamp())}@{domain}>"


def site_url(path: str) -> str:
    """The absolute address of ``path`` on this site, for e-mails and PDFs."""
    return settings.SITE_URL.rstrip("/") + path


def training_admin_emails() -> list[str]:
    """Where the training team is reached: every active training admin."""
    from . import roles
    from .models import User

    return list(
        User.objects.filter(groups__name=roles.TRAINING_ADMINS, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )
