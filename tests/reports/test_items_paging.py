"""The item analysis shows 25 questions a page (issue 20: nationally it held all 349
questions, 351 KiB, and rendering them was the page's whole cost); the flagged list
links each question on the page that holds it."""

import re

from modules.core.database import utcnow
from modules.core.extensions import db
from modules.core.paging import page_number, page_of
from modules.quizzes.models import SUBMITTED, QuizAttempt
from modules.reports import demo, items
from tests.conftest import login


def test_page_of_a_list_clamps_the_page_and_numbers_the_items():
    seven = list("abcdefg")
    second = page_of(seven, 2, 3)
    assert (second.items, second.first, second.last, second.pages) == (["d", "e", "f"], 4, 6, 3)
    assert (second.has_prev, second.has_next, second.prev_num, second.next_num) == (
        True, True, 1, 3)
    last = page_of(seven, 99, 3)
    assert (last.page, last.items, last.first, last.last, last.has_next) == (3, ["g"], 7, 7,
                                                                             False)
    first = page_of(seven, -4, 3)
    assert (first.page, first.items, first.has_prev) == (1, ["a", "b", "c"], False)
    empty = page_of([], 1, 25)
    assert (empty.pages, empty.first, empty.last, empty.has_next) == (1, 0, 0, False)
    assert [page_number(i, 25) for i in (0, 24, 25, 49, 50)] == [1, 1, 2, 2, 3]


def _questions(page: str) -> list[str]:
    return re.findall(r'class="report-item[^"]*" id="(q-\d+-[^"]+)"', page)


def _graded_attempt(user, module, count: int) -> None:
    """One graded attempt on ``count`` single-choice questions p01, p02, …, each
    answered right, recorded for the item analysis as grading records it."""
    questions = [{"id": f"p{n:02d}", "type": "single", "text": f"Spørsmål {n}",
                  "choices": ["Ja", "Nei"], "correct": [0], "choice_order": [0, 1]}
                 for n in range(1, count + 1)]
    now = utcnow()
    attempt = QuizAttempt(
        user_id=user.id, learning_module_id=module.id, course_id=module.course_id, number=1,
        status=SUBMITTED, content_hash="paging", pass_percent=50, questions=questions,
        answers={q["id"]: 0 for q in questions}, submission_token="paging-token",
        started_at=now, submitted_at=now, score=count, asked=count, share=1.0, passed=True,
        results=[True] * count)
    db.session.add(attempt)
    db.session.flush()
    items.record_attempt(attempt)


def test_item_analysis_shows_25_questions_a_page(client, dataset, make_user):
    module = demo.generate_bad_question(30)  # demo-darlig (flagged), demo-god-1, -2
    _graded_attempt(make_user(unit="ost", name="Quizzer"), module, 30)
    db.session.commit()
    total = 33  # three crafted questions and p01–p30
    assert len(items.analyse()) == total

    login(client, make_user("admin", unit="oslo"))
    first = client.get("/reports/items").get_data(as_text=True)
    second = client.get("/reports/items?page=2").get_data(as_text=True)
    assert len(_questions(first)) == 25
    assert len(_questions(second)) == 8
    assert not set(_questions(first)) & set(_questions(second))
    assert "Viser spørsmål 1–25 av 33." in first
    assert "Viser spørsmål 26–33 av 33." in second
    assert "Side 1 av 2" in first and "Side 2 av 2" in second
    assert 'href="/reports/items?page=2">Neste side' in first
    assert f"q-{module.id}-p30" in _questions(second)
    # A page past the last shows the last.
    assert _questions(client.get("/reports/items?page=7").get_data(as_text=True)) == \
        _questions(second)

    # The flagged question is on the first page (its module's questions by id:
    # demo-darlig before p01); both pages list it and link it to that page.
    anchor = f"q-{module.id}-demo-darlig"
    assert anchor in _questions(first)
    assert f'href="#{anchor}"' in first
    assert f'href="/reports/items?page=1#{anchor}"' in second
    # Filtered to the flagged questions, the list is one page.
    only = client.get("/reports/items?flagged=1").get_data(as_text=True)
    assert _questions(only) == [anchor]
    assert "Side 1 av" not in only


def test_item_analysis_is_computed_once_for_every_worker_and_says_when(app, client, dataset,
                                                                       make_user):
    from modules.reports.models import DashboardSnapshot

    app.config["REPORTS_REFRESH_SECONDS"] = 600
    module = demo.generate_bad_question(30)
    db.session.commit()
    login(client, make_user("admin", unit="oslo"))
    page = client.get("/reports/items").get_data(as_text=True)
    assert "Tall per " in page and "Viser spørsmål 1–3 av 3." in page
    assert db.session.scalar(db.select(DashboardSnapshot.scope)
                             .where(DashboardSnapshot.scope == "items:0:0")) == "items:0:0"
    _graded_attempt(make_user(unit="ost"), module, 30)  # 30 more questions
    db.session.commit()
    app.extensions["reports_dashboards"].clear()  # another worker: the shared figures
    assert "Viser spørsmål 1–3 av 3." in client.get("/reports/items").get_data(as_text=True)
    app.test_cli_runner().invoke(args=["reports", "refresh-dashboards"])
    app.extensions["reports_dashboards"].clear()
    assert "Viser spørsmål 1–25 av 33." in client.get("/reports/items").get_data(as_text=True)
    # The kept figures hold no words: the flags are worded per request, in the page's
    # written standard.
    assert "Bør revideres: Negativ diskriminering" in page
    client.post("/language", data={"language": "nn", "next": "/reports/items"})
    nynorsk = client.get("/reports/items").get_data(as_text=True)
    assert "Bør reviderast: Negativ diskriminering" in nynorsk
    assert "Bør revideres" not in nynorsk
