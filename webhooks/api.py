"""What the other apps may use of webhooks: the retry schedule and states every
outbound message shares (``retry``) and the rule for a receiver's address
(``validate_receiver_url``)."""

from . import retry
from .addresses import validate_receiver_url

__all__ = ["retry", "validate_receiver_url"]
