"""Events people announces to the apps above it.

``person_deactivated(sender=User, person)`` is sent inside the transaction that
closes the account (by a training admin or an identity provider).

``people_imported(sender=User, people)`` is sent inside an import's transaction
with the people it created (they are written in bulk, without ``post_save``).
"""

from django.dispatch import Signal

person_deactivated = Signal()
people_imported = Signal()
