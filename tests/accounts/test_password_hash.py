"""The password hash: scrypt in production, whatever the configuration says; a cheap
one only in an app with TESTING on (the suite's speed), and stored hashes of either
kind keep working."""

from werkzeug.security import generate_password_hash

from modules.accounts import passwords
from modules.accounts.services import authenticate, set_password
from modules.core.extensions import db
from tests.conftest import PASSWORD


def test_production_hashes_with_scrypt_whatever_the_config_says(app, monkeypatch):
    monkeypatch.setattr(app, "testing", False)
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1"
    assert passwords.hash_password("Et-annet-passord-456").startswith("scrypt:32768:8:1$")
    assert passwords.hash_method() == "scrypt"


def test_outside_an_app_the_hash_is_scrypt():
    assert passwords.hash_method() == "scrypt"


def test_the_test_suite_hashes_cheaply(app):
    assert passwords.hash_password("Et-annet-passord-456").startswith("pbkdf2:sha256:1000$")


def test_a_stored_scrypt_hash_still_logs_in(app, make_user):
    user = make_user()
    user.password_hash = generate_password_hash(PASSWORD, method="scrypt")
    db.session.commit()
    assert authenticate(user.email, PASSWORD) == user
    assert authenticate(user.email, "Feil-passord-999") is None


def test_a_new_password_gets_the_configured_hash(app, make_user, monkeypatch):
    user = make_user()
    monkeypatch.setattr(app, "testing", False)
    set_password(user, "Et-annet-passord-456")
    assert user.password_hash.startswith("scrypt:")
    assert authenticate(user.email, "Et-annet-passord-456") == user
