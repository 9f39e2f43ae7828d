"""Events onboarding announces to the apps above it, after the change commits.

- ``activity_submitted(sender=ActivityProgress, progress)``: a hire handed in work
  that needs a mentor's sign-off.
- ``activity_reviewed(sender=ActivityProgress, progress, approved)``: a mentor
  signed it off or sent it back.
"""

from django.dispatch import Signal

activity_submitted = Signal()
activity_reviewed = Signal()
