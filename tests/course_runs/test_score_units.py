"""Issue 18.6: a real quiz score is one unit (a share 0..1) end to end; every page
and export shows it as the same percent (a 6 of 6 quiz once showed as "1 %")."""

import csv
import io

import pytest
from openpyxl import load_workbook

from modules.catalog.services import get_course_by_slug, sync_courses
from modules.core.extensions import db
from modules.course_runs import services
from modules.learning import services as learning
from modules.learning.models import ModuleProgress
from modules.learning.signals import quiz_graded
from modules.quizzes.models import QuizAttempt
from tests.conftest import MODULE_MD, login, write_package

FOUR_QUESTIONS = "pass_percent = 50\nshuffle = false\n" + "".join(
    f'\n[[questions]]\nid = "p{i}"\ntype = "truefalse"\ntext = "Påstand {i}?"\nanswer = true\n'
    for i in range(1, 5))


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_package(folder / "proveko", modules={
        "01-forste": (MODULE_MD.format(title="Første modul"), FOUR_QUESTIONS)})
    return folder


@pytest.fixture
def run(app, make_user):
    from modules.accounts.services import find_unit

    assert not sync_courses().failed
    trainer = make_user("trainer", name="Ola Bråten")
    run = services.create_run(trainer, title="Grunnkurs Øst", course=get_course_by_slug("proveko"),
                              unit=find_unit("ost"), place="Politihuset", capacity=10)
    db.session.commit()
    return run, trainer


def _take_quiz(app, user, right: int) -> QuizAttempt:
    client = app.test_client()
    login(client, user)
    response = client.post("/courses/proveko/m/forste/quiz/start")
    assert response.status_code == 302, response.data
    attempt = db.session.get(QuizAttempt, int(response.headers["Location"].rsplit("/", 1)[1]))
    fields = {f"q:p{i}": ["true" if i <= right else "false"] for i in range(1, 5)}
    response = client.post(f"/quiz/attempts/{attempt.id}", data={
        "revision": str(attempt.revision), "token": attempt.submission_token,
        "action": "submit", **fields})
    assert response.status_code == 302
    db.session.refresh(attempt)
    assert (attempt.score, attempt.asked) == (right, 4)
    page = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert f"{right} av 4 riktige ({right * 25} %)" in page
    my_page = client.get("/min-side").get_data(as_text=True)
    assert f"{right} av 4 riktige ({right * 25} %)" in my_page  # Min side's quiz results
    data = client.get("/min-side/data").get_data(as_text=True)  # Mine data: named shares
    assert f'"quiz_best_share": {right / 4}' in data and f'"share": {right / 4}' in data
    assert '"percent"' not in data
    return attempt


def test_three_of_four_shows_75_and_four_of_four_100_everywhere(app, run, make_user):
    run, trainer = run
    three = make_user(name="Siri Ødegård", password="Et-godt-passord-123")
    four = make_user(name="Per Åsheim")
    for user in (three, four):
        services.join_run(user, run)
    db.session.commit()
    graded = []

    def remember(_sender, **kwargs):
        graded.append(kwargs)

    quiz_graded.connect(remember)
    try:
        _take_quiz(app, three, 3)
        _take_quiz(app, four, 4)
    finally:
        quiz_graded.disconnect(remember)
    assert [g["score_share"] for g in graded] == [0.75, 1.0]
    stored = dict(db.session.execute(db.select(ModuleProgress.user_id,
                                               ModuleProgress.quiz_best_share)).all())
    assert stored == {three.id: 0.75, four.id: 1.0}

    client = app.test_client()
    login(client, trainer)
    base = f"/kursgjennomforinger/{run.id}/deltakeroversikt"
    page = client.get(base).get_data(as_text=True)
    assert "75 %" in page and "100 %" in page and "88 %" in page  # the average 87.5
    assert ">1 %" not in page and ">0 %" not in page

    rows = list(csv.reader(io.StringIO(client.get(base + ".csv").data.decode("utf-8-sig")),
                           delimiter=";"))
    column = rows[0].index("Første modul: Beste quiz")
    by_name = {row[0]: row[column] for row in rows[1:]}
    assert by_name == {"Per Åsheim": "100 %", "Siri Ødegård": "75 %", "Totalt": "88 %"}

    sheet = load_workbook(io.BytesIO(client.get(base + ".xlsx").data)).active
    header = [cell.value for cell in sheet[1]]
    index = header.index("Første modul: Beste quiz")
    cells = {row[0].value: row[index] for row in sheet.iter_rows(min_row=2)}
    assert cells["Siri Ødegård"].value == 0.75 and cells["Siri Ødegård"].number_format == "0%"
    assert cells["Per Åsheim"].value == 1.0 and cells["Per Åsheim"].number_format == "0%"


def test_a_result_comes_only_from_a_graded_attempt(app, run, make_user):
    """record_quiz_result takes the graded attempt itself: an open attempt, another
    person's attempt, or a score on the wrong scale (75 "of" 4) is refused."""
    from modules.quizzes import services as quizzes
    from tests.helpers import take_quiz

    run, _trainer = run
    user, other = make_user(), make_user()
    course = get_course_by_slug("proveko")
    learning.enrol(user, course)
    [module] = learning.list_placed_modules(course)
    attempt = quizzes.start_or_resume_attempt(user, course, module)
    with pytest.raises(ValueError):
        learning.record_quiz_result(user, attempt)  # still open
    graded = take_quiz(user, module, right=3, of=4)
    with pytest.raises(ValueError):
        learning.record_quiz_result(other, graded)
    graded.score = 75
    with pytest.raises(ValueError):
        learning.record_quiz_result(user, graded)
