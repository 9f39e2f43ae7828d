from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from .records import PersonRecord


class Organization(models.Model):
    """A customer company whose people learn on the platform."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    sso_only = models.BooleanField(
        _("members sign in through single sign-on only"),
        default=False,
        help_text=_(
            "Password sign-in and sign-up are refused for the organisation's people "
            "and e-mail domains, with a pointer to the company sign-in button."
        ),
    )
    email_domains = models.CharField(
        _("e-mail domains"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated, for example northwind.example, nw.example."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an e-mail address (there are no usernames)."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    is_organization_admin = models.BooleanField(
        _("organization admin"),
        default=False,
        help_text=_("Can see (not edit) the progress of their organization's people."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        help_text=_(
            "The language the person reads the academy in (empty: the site's)."
        ),
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("mentor or manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        help_text=_("Staff only: copied on certificate expiry reminders."),
    )
    # Set by an identity provider that provisions people (SCIM): its own id for the
    # person, and when it removed them (they stay, deactivated, with their history).
    external_id = models.CharField(
        _("ID at the identity provider"), max_length=255, blank=True, db_index=True
    )
    deprovisioned_at = models.DateTimeField(
        _("removed by the identity provider"), null=True, blank=True
    )
    # For incremental sync (the API's updated_since); not moved by sign-ins.
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        """The name as it is printed on certificates and shown to mentors."""
        return self.get_full_name() or self.email.split("@")[0]


class OutboundEmail(models.Model):
    """An e-mail waiting for (or done with) delivery by a background worker.

    Rendering happens in the request; delivery happens after commit in a task that
    takes this row's id, so a retried or duplicated task never sends twice.
    """

    to = models.JSONField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    from_email = models.CharField(_("from"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The sweep for e-mails a broker lost reads only the unsent ones.
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="outbound_email_unsent",
            )
        ]
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")

    def __str__(self) -> str:
        return self.subject


class AuditEvent(PersonRecord, models.Model):
    """One change made by a person to learner data or to who may do what: who,
    what, on which record, the values before and after, and why. Written by the
    service that makes the change, in the same transaction; never edited."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    subject = models.ForeignKey(
        "accounts.User",
        verbose_name=_("about whom"),
        help_text=_("The learner, hire or candidate whose record changed."),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events_about",
    )
    action = models.CharField(_("what"), max_length=100, db_index=True)
    target_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("kind of record"),
        on_delete=models.PROTECT,
    )
    target_id = models.CharField(_("record id"), max_length=64, db_index=True)
    target_label = models.CharField(_("record"), max_length=255)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.action}: {self.target_label}"
