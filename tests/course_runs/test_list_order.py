"""Issue 18.13: lists in module order, a registry search, and the trainer's run list
with dates and participant counts."""

from datetime import date, time

import pytest

from modules.accounts.services import find_unit
from modules.catalog.services import get_course_by_slug, sync_courses
from modules.core.extensions import db
from modules.course_runs import services
from modules.learning import services as learning
from modules.quizzes.models import QuizAttempt
from tests.conftest import MODULE_MD, login, write_package

# the quiz file order (zz before aa) differs from the alphabetical one
QUIZ = """pass_percent = 50
shuffle = false

[[questions]]
id = "zz"
type = "truefalse"
text = "Siste i alfabetet, først i filen?"
answer = true

[[questions]]
id = "aa"
type = "truefalse"
text = "Først i alfabetet, sist i filen?"
answer = true
"""


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_package(folder / "proveko", modules={
        "01-zeta": (MODULE_MD.format(title="Zeta-modulen"), QUIZ),
        "02-alfa": (MODULE_MD.format(title="Alfa-modulen"), QUIZ)})
    return folder


@pytest.fixture
def course(app):
    assert not sync_courses().failed
    db.session.commit()
    return get_course_by_slug("proveko")


def _submit(client, slug: str) -> None:
    response = client.post(f"/courses/proveko/m/{slug}/quiz/start")
    attempt = db.session.get(QuizAttempt, int(response.headers["Location"].rsplit("/", 1)[1]))
    client.post(f"/quiz/attempts/{attempt.id}", data={
        "revision": str(attempt.revision), "token": attempt.submission_token,
        "action": "submit", "q:zz": ["true"], "q:aa": ["false"]})


def test_my_page_and_item_analysis_follow_module_and_question_order(app, course, make_user):
    user = make_user(name="Siri Ødegård")
    learning.enrol(user, course)
    db.session.commit()
    client = app.test_client()
    login(client, user)
    _submit(client, "alfa")  # taken first, placed second
    _submit(client, "zeta")
    page = client.get("/min-side").get_data(as_text=True)
    results = page[page.index("Quizresultater"):]
    assert results.index("Zeta-modulen") < results.index("Alfa-modulen")

    admin = app.test_client()
    login(admin, make_user("admin"))
    html = admin.get("/reports/items", query_string={"course": course.id}).get_data(as_text=True)
    order = [html.index(text) for text in ("Zeta-modulen", "Alfa-modulen")]
    assert order == sorted(order)
    body = html[html.index("Zeta-modulen"):]
    assert body.index("Siste i alfabetet") < body.index("Først i alfabetet")
    options = html[html.index('name="module"'):]
    assert options.index("Zeta-modulen") < options.index("Alfa-modulen")


def test_run_list_shows_dates_and_participant_counts(app, client, course, make_user):
    trainer = make_user("trainer")
    run = services.create_run(trainer, title="Grunnkurs Øst", course=course,
                              unit=find_unit("ost"), place="Politihuset", capacity=2)
    empty = services.create_run(trainer, title="Uten samlinger", course=course,
                                unit=find_unit("ost"), place="Politistasjonen", capacity=12)
    services.add_session(trainer, run, day=date(2031, 3, 9), start=time(9), end=time(15))
    services.add_session(trainer, run, day=date(2031, 2, 2), start=time(9), end=time(15))
    for _n in range(3):
        services.join_run(make_user(password=None), run)
    db.session.commit()
    login(client, trainer)
    page = client.get("/kursgjennomforinger").get_data(as_text=True)
    rows = {title: next(r for r in page.split("<tr>") if title in r)
            for title in ("Grunnkurs Øst", "Uten samlinger")}
    assert "2. februar 2031–9. mars 2031" in rows["Grunnkurs Øst"]
    assert "2 av 2" in rows["Grunnkurs Øst"] and "1 på venteliste" in rows["Grunnkurs Øst"]
    assert "Ingen samlinger ennå" in rows["Uten samlinger"] and "0 av 12" in rows["Uten samlinger"]
    assert empty.id != run.id
