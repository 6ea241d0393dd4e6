"""Signals the learning feature emits; certification and others connect to them."""

from blinker import Namespace

_signals = Namespace()

#: sent with ``sender=enrolment`` when a course becomes complete for a user
course_completed = _signals.signal("course-completed")
