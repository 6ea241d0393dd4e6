"""Signals the learning feature emits; certification and others connect to them."""

from blinker import Namespace

_signals = Namespace()

#: sent with ``sender=enrolment`` when a course becomes complete for a user
course_completed = _signals.signal("course-completed")

#: sent with ``sender=user`` and ``learning_module``, ``score_share`` (0..1), ``percent``
#: (the same score 0..100) and ``passed`` after a quiz attempt is graded (LTI grade
#: passback listens to it)
quiz_graded = _signals.signal("quiz-graded")
