"""Signals the quizzes feature emits; reports connects to them."""

from blinker import Namespace

_signals = Namespace()

#: sent with ``sender=attempt`` (a graded QuizAttempt) right after it is submitted;
#: the item analysis in reports stores one row per shown question from it
attempt_submitted = _signals.signal("attempt-submitted")
