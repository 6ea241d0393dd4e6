"""A user an admin creates, one by one or by CSV, gets a welcome mail with a one-time
link to choose a password, built on the configured base URL."""

import io
import re
from datetime import timedelta
from unittest import mock

from modules.accounts import services, tokens
from modules.core.extensions import db
from modules.outbox.models import OutboxMessage
from tests.conftest import login


def _mail(address):
    return db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.to_address == address))


def test_admin_created_user_gets_a_one_time_set_password_link(app, client, make_user):
    app.config["PUBLIC_BASE_URL"] = "https://kurs.politiet.example"
    login(client, make_user(role="admin"))
    client.post("/admin/users/new", data={
        "name": "Per Åsheim", "email": "per@example.com",
        "unit_id": services.find_unit("nordland").id, "role": "trainer", "password": ""})
    mail = _mail("per@example.com")
    assert mail.subject == "Velkommen til Innbyggerstemmen"
    assert "(kursholder, Nordland politidistrikt)" in mail.body
    path = re.search(r"https://kurs\.politiet\.example(/tilbakestill-passord/\S+)",
                     mail.body).group(1)
    client.post("/logout")
    response = client.post(path, data={"password": "Et-nytt-godt-passord-9",
                                       "confirm": "Et-nytt-godt-passord-9"})
    assert response.status_code == 302
    assert services.authenticate("per@example.com", "Et-nytt-godt-passord-9") is not None
    assert client.get(path).status_code == 400  # the link works once


def test_welcome_link_lives_two_weeks_a_reset_link_an_hour(app, make_user):
    user = make_user()
    welcome, reset = tokens.make_reset_token(user, welcome=True), tokens.make_reset_token(user)
    real_time = __import__("time").time
    with mock.patch("itsdangerous.timed.time.time",
                    return_value=real_time() + timedelta(days=3).total_seconds()):
        assert tokens.user_for_reset_token(welcome) == user
        assert tokens.user_for_reset_token(reset) is None
    with mock.patch("itsdangerous.timed.time.time",
                    return_value=real_time() + timedelta(days=15).total_seconds()):
        assert tokens.user_for_reset_token(welcome) is None


def test_csv_import_mails_every_new_user(app, client, make_user):
    app.config["PUBLIC_BASE_URL"] = "https://kurs.politiet.example"
    login(client, make_user(role="admin"))
    csv = "email;name;unit\nkari@example.com;Kari Li;ost\nola@example.com;Ola Li;ost\n"
    response = client.post("/admin/users/import", data={
        "file": (io.BytesIO(csv.encode()), "brukere.csv")}, content_type="multipart/form-data")
    assert response.status_code == 302
    for address in ("kari@example.com", "ola@example.com"):
        assert "https://kurs.politiet.example/tilbakestill-passord/" in _mail(address).body


def test_cli_import_mails_when_the_base_url_is_set(app, tmp_path):
    app.config["PUBLIC_BASE_URL"] = "https://kurs.politiet.example"
    file = tmp_path / "brukere.csv"
    file.write_text("email;name;unit\nsiv@example.com;Siv Li;ost\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["users", "import", str(file)])
    assert result.exit_code == 0, result.output
    assert "https://kurs.politiet.example/tilbakestill-passord/" in _mail("siv@example.com").body
