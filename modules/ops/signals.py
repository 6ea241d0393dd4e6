"""Signals the ops feature emits."""

from blinker import Namespace

_signals = Namespace()

#: sent (sender=None) after `flask demo showcase` added its synthetic data, so later
#: features can add theirs (reports fills the item analysis)
showcase_generated = _signals.signal("showcase-generated")
