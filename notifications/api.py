"""What the other apps may use of notifications.

- ``notify(user, kind, title=…, link=…, email=…, key=…)``: an entry in the
  person's notifications and, unless they switched the kind off, an e-mail.
- ``Notification``: for reading (a person's data export) and erasure.
- ``kinds``: the registry of kinds (``kinds.ASSIGNMENT_REMINDER`` …).
"""

from . import kinds
from .models import Notification
from .services import notify

__all__ = ["Notification", "kinds", "notify"]
