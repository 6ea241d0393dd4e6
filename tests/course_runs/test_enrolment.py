"""Enrolling by pasted addresses and CSV (all or nothing), and invitations."""

import io
import re
import time

from itsdangerous import TimestampSigner

from modules.accounts.services import get_user_by_email
from modules.core.extensions import db
from modules.course_runs import enrolment, services
from modules.course_runs.models import RunParticipant
from modules.outbox.models import OutboxMessage
from tests.conftest import PASSWORD, login


def _upload(client, run, text: str):
    return client.post(f"/kursgjennomforinger/{run.id}/deltakere/csv",
                       data={"file": (io.BytesIO(text.encode("utf-8")), "deltakere.csv")},
                       content_type="multipart/form-data")


def _participants(run) -> int:
    return db.session.scalar(db.select(db.func.count(RunParticipant.id))
                             .where(RunParticipant.run_id == run.id))


def test_csv_with_good_rows_enrols_known_and_invites_unknown(client, run, trainer, make_user):
    known = make_user(email="siri@example.com", name="Siri Ødegård")
    login(client, trainer)
    response = _upload(client, run, "\ufeffemail;name;unit\n"
                       "siri@example.com;Siri Ødegård;ost\n"
                       "ny.person@example.com;Åse Ny;nordland\n"
                       "ANDRE@example.com;;\n")
    assert response.status_code == 302
    assert _participants(run) == 3
    new = get_user_by_email("ny.person@example.com")
    assert new.name == "Åse Ny" and new.password_hash is None and new.unit.code == "nordland"
    assert get_user_by_email("andre@example.com").unit_id == run.unit_id
    subjects = {m.to_address: m.subject for m in db.session.scalars(db.select(OutboxMessage))}
    assert subjects["ny.person@example.com"].startswith("Invitasjon")
    assert subjects[known.email].startswith("Påmelding")


def test_csv_with_a_bad_row_imports_nothing_and_names_each_line(client, run, trainer):
    login(client, trainer)
    response = _upload(client, run, "email;name;unit\n"
                       "god@example.com;God;ost\n"
                       "ikke-en-adresse;Feil;ost\n"
                       "god@example.com;Dobbel;ost\n"
                       "tredje@example.com;Ukjent;atlantis\n")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "linje 3" in page and "linje 4" in page and "linje 5" in page
    assert "linje 2" not in page
    assert _participants(run) == 0
    assert get_user_by_email("god@example.com") is None
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


def test_csv_without_email_column_is_rejected(client, run, trainer):
    login(client, trainer)
    response = _upload(client, run, "navn;enhet\nOla;ost\n")
    assert response.status_code == 422
    assert "linje 1" in response.get_data(as_text=True)


def test_pasted_emails(client, run, trainer, make_user):
    a = make_user()
    login(client, trainer)
    response = client.post(f"/kursgjennomforinger/{run.id}/deltakere/epost",
                           data={"emails": f"{a.email}, ny@example.com\n\n"})
    assert response.status_code == 302
    assert _participants(run) == 2
    bad = client.post(f"/kursgjennomforinger/{run.id}/deltakere/epost",
                      data={"emails": "x@example.com\nfeil@@"})
    assert bad.status_code == 422
    assert "linje 2" in bad.get_data(as_text=True)
    assert get_user_by_email("x@example.com") is None


def test_invitation_link_sets_password_once(app, client, run, trainer):
    app.config["PUBLIC_BASE_URL"] = "http://localhost"  # the link comes from the base URL
    rows, errors = enrolment.parse_emails("invitert@example.com")
    result = enrolment.enrol_rows(trainer, run, rows, errors)
    db.session.commit()
    assert not result.errors and len(result.invited) == 1
    message = db.session.scalar(db.select(OutboxMessage)
                                .where(OutboxMessage.to_address == "invitert@example.com"))
    path = re.search(r"http://localhost(/invitasjon/\S+)", message.body).group(1)
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    assert get_user_by_email("invitert@example.com").password_hash
    client.post("/logout")
    assert client.get(path).status_code == 404  # used
    assert client.get("/invitasjon/tull").status_code == 404
    assert login(client, "invitert@example.com").status_code == 302


def test_invitation_link_is_valid_for_fourteen_days(app, run, trainer, monkeypatch):
    rows, errors = enrolment.parse_emails("sein@example.com")
    enrolment.enrol_rows(trainer, run, rows, errors, base_url="http://localhost/")
    user = get_user_by_email("sein@example.com")
    token = enrolment.make_invitation_token(user)
    assert enrolment.user_for_invitation(token) == user
    signed_at = time.time()
    day = 24 * 3600
    for age, valid in ((14 * day - 60, True), (14 * day + 60, False)):
        monkeypatch.setattr(TimestampSigner, "get_timestamp",
                            lambda _self, age=age: int(signed_at + age))
        assert (enrolment.user_for_invitation(token) == user) is valid, age / day


def test_only_trainer_of_run_may_bulk_enrol(run, make_user):
    import pytest

    rows, errors = enrolment.parse_emails("a@example.com")
    with pytest.raises(services.CourseRunError):
        enrolment.enrol_rows(make_user("trainer"), run, rows, errors, base_url="http://x/")
