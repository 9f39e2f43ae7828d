"""Notifying people: an entry in their list (the bell) and, unless they switched
that kind off, an e-mail. Callers call inside their own transaction; the e-mail
goes after it commits."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.api import Prepared, drop_entry, kept_entry, queue_email, site_url

from .kinds import KINDS, Kind
from .models import KEEP_DAYS, EmailSetting, Notification


def _count_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def read_ahead_keys(user_id: int) -> list[str]:
    """What a signed-in page reads of the person's notifications: the count in
    the header."""
    return [_count_key(user_id)]


def notify(
    user,
    kind: Kind,
    *,
    title: str,
    link: str = "",
    email: dict | None = None,
    key: str = "",
) -> Notification | None:
    """Add a notification; send ``email`` (``subject``, ``body_text``,
    ``body_html``) unless the person turned this kind off. With a ``key``, once
    per person, kind and key: None when it was already done."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, kind=kind.key, title=title[:255], link=link, key=key
            )
    except IntegrityError:
        return None
    if email is not None and user.email and wants_email(user, kind):
        queue_email(to=[user.email], **email)
    transaction.on_commit(lambda: drop_entry(_count_key(user.pk)))
    return notification


def notice_email(user, title: str, *, lines=(), links=()) -> dict:
    """The e-mail of a notification: its title, a few lines and the links to act."""
    context = {
        "person": user,
        "title": title,
        "lines": list(lines),
        "links": list(links),
        "settings_url": site_url(reverse("notifications:settings")),
    }
    return {
        "subject": title,
        "body_text": render_to_string("notifications/email/notice.txt", context),
        "body_html": render_to_string("notifications/email/notice.html", context),
    }


def wants_email(user, kind: Kind) -> bool:
    if not kind.switchable:
        return True
    return not EmailSetting.objects.filter(
        user=user, kind=kind.key, enabled=False
    ).exists()


def email_choices(user) -> dict[str, bool]:
    """Every switchable kind and whether its e-mail is on for ``user``."""
    off = set(
        EmailSetting.objects.filter(user=user, enabled=False).values_list(
            "kind", flat=True
        )
    )
    return {key: key not in off for key, kind in KINDS.items() if kind.switchable}


@transaction.atomic
def set_email_choices(user, enabled: set[str]) -> None:
    for key, kind in KINDS.items():
        if kind.switchable:
            EmailSetting.objects.update_or_create(
                user=user, kind=key, defaults={"enabled": key in enabled}
            )


def unread_count(user) -> int:
    """Cached per person (no query on most pages); cleared when it changes."""
    count = kept_entry(_count_key(user.pk))
    if count is None:
        rows = _UNREAD.rows(user.pk)  # one row, or none when nothing is unread
        count = rows[0][0] if rows else 0
        cache.set(_count_key(user.pk), count, 300)
    return count


_UNREAD = Prepared(
    lambda user_id: (
        Notification.objects.filter(user_id=user_id, read_at__isnull=True)
        .order_by()
        .values("user_id")
        .annotate(unread=Count("pk"))
        .values_list("unread")
    )
)


def mark_read(user, notification_id: int | None = None) -> int:
    """Mark one of ``user``'s notifications read (or all of them); returns how many."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    changed = rows.update(read_at=timezone.now())
    drop_entry(_count_key(user.pk))
    return changed


def purge_old(*, now: datetime | None = None) -> int:
    """Notifications are kept for 90 days."""
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_DAYS)
    deleted, _by_model = Notification.objects.filter(created_at__lt=cutoff).delete()
    return deleted
