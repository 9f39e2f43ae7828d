"""What the other apps may use of classes (instructor-led sessions).

- ``ClassSession``, ``BookingStatus``: sessions and the states of a booking, for
  reading (reports); ``SEAT_STATUSES``: the booking states that hold a seat;
  ``Booking``: for reading (the day-before notification).
Changes to bookings go through ``classes.services`` inside this app only.
"""

from .models import SEAT_STATUSES, Booking, BookingStatus, ClassSession

__all__ = ["SEAT_STATUSES", "Booking", "BookingStatus", "ClassSession"]
