"""Certificate validity at its edges: calendar months from the day of issue, through
the real issuing path, as the holder and the public verification page see it."""

from datetime import datetime

import pytest

from modules.certification import services
from modules.certification.models import Certificate
from modules.core.extensions import db
from tests.certification.conftest import complete
from tests.conftest import write_package

ONE_MONTH = """
[certificate]
title = "Kursbevis: Månedskurs"
valid_months = 1
"""


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_package(folder / "maned", slug_title="Månedskurs", extra_manifest=ONE_MONTH)
    return folder


@pytest.mark.parametrize(("issued", "expires"), [
    (datetime(2026, 1, 31, 9, 0), datetime(2026, 2, 28, 9, 0)),    # clamped to February
    (datetime(2028, 1, 31, 9, 0), datetime(2028, 2, 29, 9, 0)),    # leap year
    (datetime(2026, 12, 15, 9, 0), datetime(2027, 1, 15, 9, 0)),   # over the new year
])
def test_certificate_expires_valid_months_after_the_day_of_issue(
        synced, make_user, client, monkeypatch, issued, expires):
    from modules.catalog.services import get_course_by_slug

    monkeypatch.setattr(services, "utcnow", lambda: issued)
    user = make_user()
    complete(user, get_course_by_slug("maned"))
    certificate = db.session.scalar(db.select(Certificate).where(Certificate.user_id == user.id))
    assert certificate.issued_at == issued
    assert certificate.expires_at == expires
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    months = ["januar", "februar"]
    assert f"{expires.day}. {months[expires.month - 1]} {expires.year}" in page
