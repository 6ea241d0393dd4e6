"""Signals the accounts feature emits."""

from blinker import Namespace

_signals = Namespace()

#: sent with ``sender=users`` (the demo users just created, admin first) by ``flask setup``
#: in a new database; certification gives the demo trainer a trainer certificate
demo_accounts_created = _signals.signal("demo-accounts-created")
