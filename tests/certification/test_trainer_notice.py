"""The trainer's list of course runs warns ahead of the expiry of their own trainer
certificate, and says what an expired one stops."""

from datetime import timedelta

import pytest

from modules.catalog import services as catalog
from modules.certification import services
from modules.core.database import utcnow
from modules.core.extensions import db
from tests.certification.conftest import write_trainer_course
from tests.conftest import login


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_trainer_course(folder)
    return folder


@pytest.fixture
def trainer_with_certificate(synced, make_user):
    admin, trainer = make_user(role="admin"), make_user(role="trainer")
    certificate = services.grant_certificate(trainer, catalog.get_course_by_slug("kursholder"),
                                             actor=admin)
    db.session.commit()
    return trainer, certificate


def _runs_page(client, trainer) -> str:
    login(client, trainer)
    return client.get("/kursgjennomforinger").get_data(as_text=True)


def test_no_notice_while_the_certificate_is_far_from_expiry(client, trainer_with_certificate):
    trainer, _certificate = trainer_with_certificate
    assert "Sertifiseringen din som kursholder" not in _runs_page(client, trainer)


def test_warning_ahead_of_expiry(client, trainer_with_certificate):
    trainer, certificate = trainer_with_certificate
    certificate.expires_at = utcnow() + timedelta(days=30)
    db.session.commit()
    page = _runs_page(client, trainer)
    assert "Sertifiseringen din som kursholder utløper" in page
    assert client.get("/kursgjennomforinger/ny").status_code == 200  # still allowed


def test_expired_certificate_says_what_it_stops(client, trainer_with_certificate):
    trainer, certificate = trainer_with_certificate
    certificate.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    page = _runs_page(client, trainer)
    assert "Sertifiseringen din som kursholder utløp" in page
    assert "Du kan ikke opprette nye kursgjennomføringer" in page
    assert client.get("/kursgjennomforinger/ny").status_code == 403


def test_trainer_without_certificate_is_told(client, synced, make_user):
    page = _runs_page(client, make_user(role="trainer"))
    assert "Du har ingen aktiv sertifisering som kursholder" in page
