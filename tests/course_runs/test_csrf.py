"""With CSRF on, as in production: the run's forms carry tokens and a POST
without one changes nothing."""

import re

from flask import g

from modules.accounts import services as accounts
from modules.catalog.services import get_course_by_slug, sync_courses
from modules.core.extensions import db
from modules.course_runs import services
from tests.conftest import PASSWORD


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def test_join_needs_a_csrf_token(csrf_app):
    sync_courses()
    ost = accounts.find_unit("ost")
    trainer = accounts.create_user(email="k@example.com", name="Kursholder", unit=ost,
                                   role="trainer", password=PASSWORD)
    user = accounts.create_user(email="d@example.com", name="Deltaker", unit=ost,
                                password=PASSWORD)
    run = services.create_run(trainer, title="Kurs", course=get_course_by_slug("proveko"),
                              unit=ost, place="Her")
    db.session.commit()
    client = csrf_app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"email": user.email, "password": PASSWORD,
                                "csrf_token": _token(login_page)})
    # The fixture's app context is shared by every request, so Flask-WTF's per-request
    # token cache in g outlives the session cleared at login; drop it as a new request would.
    g.pop("csrf_token", None)
    assert client.post(f"/bli-med/{run.join_code}").status_code == 400
    assert services.get_participation(user, run) is None
    page = client.get(f"/bli-med/{run.join_code}").get_data(as_text=True)
    response = client.post(f"/bli-med/{run.join_code}", data={"csrf_token": _token(page)})
    assert response.status_code == 302
    assert services.get_participation(user, run) is not None
    my_page = client.get("/min-side").get_data(as_text=True)
    assert "Meld deg av" in my_page and 'name="csrf_token"' in my_page
