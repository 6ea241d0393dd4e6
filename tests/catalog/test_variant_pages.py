"""Pages show the nynorsk variant when the locale is nn (issue 22); a text without a
variant is shown in bokmål inside lang="nb"; a quiz taken in nynorsk is graded with
the bokmål quiz's key."""

import random
import re

import flask_babel
import pytest

from modules.catalog.models import LearningModule
from modules.catalog.services import get_course_by_slug, sync_courses
from modules.core.extensions import db
from modules.learning import services as learning
from modules.quizzes import services as quizzes
from modules.quizzes.models import QuizAttempt
from tests.catalog.test_variants import NN_MODULE, NN_QUIZ
from tests.conftest import MODULE_MD, login, write_package


def use_locale(app, language: str) -> None:
    """Select the locale as the app does (Babel's locale_selector), whatever selector
    the app was built with, and forget the locale cached for the current context."""
    app.extensions["babel"].locale_selector = lambda: language
    flask_babel.refresh()


@pytest.fixture
def nynorsk(app, course_dir, make_user, client):
    folder = course_dir / "proveko"
    manifest = folder / "course.toml"
    manifest.write_text(manifest.read_text("utf-8") + 'title_nn = "Prøvekurs på nynorsk"\n',
                        encoding="utf-8")
    (folder / "01-forste.nn.md").write_text(NN_MODULE, encoding="utf-8")
    (folder / "01-forste.nn.quiz.toml").write_text(NN_QUIZ, encoding="utf-8")
    assert not sync_courses().failed
    user = make_user()
    learning.enrol(user, get_course_by_slug("proveko"))
    db.session.commit()
    login(client, user)
    return user


def get(client, app, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    flask_babel.refresh()
    return page


def test_module_page_in_nynorsk_shows_the_variant_without_a_foreign_lang(app, client, nynorsk):
    use_locale(app, "nn")
    page = get(client, app, "/courses/proveko/m/forste")
    assert '<h1 id="module-title">Fyrste modul på nynorsk</h1>' in page
    assert '<p class="lead">Kort om modulen på nynorsk.</p>' in page
    assert re.search(r'<div class="prose">\s*<h2 id="innleiing">Innleiing</h2>\s*'
                     r'<p>Tekst om kvifor politiet', page)
    article = page.split("<article")[1].split("</article>")[0]
    assert "Første modul" not in article and 'lang="nb"' not in article
    # the course title has its variant; the other module has none: bokmål in lang="nb"
    assert ">Prøvekurs på nynorsk</a>" in page
    assert 'lang="nb">Andre modul</a>' in page


def test_module_without_variant_is_bokmal_inside_lang_nb(app, client, nynorsk):
    use_locale(app, "nn")
    page = get(client, app, "/courses/proveko/m/andre")
    assert '<h1 id="module-title" lang="nb">Andre modul</h1>' in page
    assert '<p class="lead" lang="nb">Kort om modulen.</p>' in page
    assert re.search(r'<div class="prose" lang="nb">\s*<h2 id="innledning">Innledning</h2>',
                     page)


def test_bokmal_page_shows_bokmal_without_lang_attributes(app, client, nynorsk):
    use_locale(app, "nb")
    page = get(client, app, "/courses/proveko/m/forste")
    assert '<h1 id="module-title">Første modul</h1>' in page
    main = page[page.index("<main"):page.index("</main>")]  # the header holds the switch
    assert "nynorsk" not in main and 'lang="nn"' not in main


def test_catalog_and_course_page_in_nynorsk(app, client, nynorsk):
    use_locale(app, "nn")
    catalog = get(client, app, "/courses")
    assert ">Prøvekurs på nynorsk</a></h3>" in catalog
    assert '<p lang="nb">Et lite kurs for tester' in catalog  # no summary_nn
    course = get(client, app, "/courses/proveko")
    assert "<h1>Prøvekurs på nynorsk</h1>" in course
    assert ">Fyrste modul på nynorsk</a></h3>" in course
    assert '<h3 lang="nb"><a href="/courses/proveko/m/andre">Andre modul</a></h3>' in course


def test_quiz_taken_in_nynorsk_is_graded_with_the_same_key(app, client, nynorsk):
    use_locale(app, "nn")
    response = client.post("/courses/proveko/m/forste/quiz/start")
    flask_babel.refresh()
    attempt = db.session.get(QuizAttempt, int(response.headers["Location"].rsplit("/", 1)[1]))
    by_id = {q["id"]: q for q in attempt.questions}
    assert by_id["q1"]["text"] == "Kva er rett?" and by_id["q1"]["lang"] == "nn"
    assert by_id["q1"]["correct"] == [0] and by_id["q2"]["answer"] is True
    page = get(client, app, f"/quiz/attempts/{attempt.id}")
    assert "<span data-content>Kva er rett?</span>" in page
    # the right answer picked by its nynorsk text, as a participant would
    shown = [by_id["q1"]["choices"][i] for i in by_id["q1"]["choice_order"]]
    form = {"q:q1": [str(shown.index("Rett"))], "q:q2": ["true"],
            "revision": str(attempt.revision), "token": attempt.submission_token,
            "action": "submit"}
    assert client.post(f"/quiz/attempts/{attempt.id}", data=form).status_code == 302
    db.session.refresh(attempt)
    assert (attempt.score, attempt.asked, attempt.passed) == (2, 2, True)
    result = get(client, app, f"/quiz/attempts/{attempt.id}")
    assert '<h2 class="question-title" data-content>Kva er rett?</h2>' in result


def test_grading_does_not_depend_on_the_language(app, nynorsk):
    course = get_course_by_slug("proveko")
    module = db.session.scalar(db.select(LearningModule).where(LearningModule.slug == "forste"))
    nn_attempt = quizzes.start_or_resume_attempt(nynorsk, course, module, rng=random.Random(7),
                                                 language="nn")
    nn_snapshot = [dict(q) for q in nn_attempt.questions]
    nn_attempt.status = "expired"
    db.session.flush()
    use_locale(app, "nn")  # the explicit language wins over the page's
    nb_attempt = quizzes.start_or_resume_attempt(nynorsk, course, module, rng=random.Random(7),
                                                 language="nb")
    keys = ("id", "type", "correct", "answer", "choice_order")
    assert [{k: q.get(k) for k in keys} for q in nn_snapshot] == [
        {k: q.get(k) for k in keys} for q in nb_attempt.questions]
    assert [q["lang"] for q in nn_snapshot] == ["nn", "nn"]
    assert [q["lang"] for q in nb_attempt.questions] == ["nb", "nb"]
    assert {q["text"] for q in nb_attempt.questions} == {"Hva er riktig?", "Politiet inviterer?"}


def test_practice_task_in_nynorsk_and_its_bokmal_fallback(app, client, nynorsk, course_dir):
    folder = course_dir / "proveko"
    practice = '\n[practice]\nprompt = "Skriv en plan for {n}."\n+++'
    (folder / "02-andre.md").write_text(MODULE_MD.format(title="Andre modul").replace(
        "\n+++", practice.format(n="to"), 1), encoding="utf-8")
    (folder / "02-andre.nn.md").write_text(NN_MODULE.replace(
        "\n+++", practice.format(n="to").replace("en plan", "ein plan"), 1), encoding="utf-8")
    assert sync_courses().loaded == ["proveko"]
    db.session.commit()
    use_locale(app, "nn")
    page = get(client, app, "/courses/proveko/m/andre")
    assert re.search(r'<div class="prose">\s*<p>Skriv ein plan for to\.</p>', page)
    (folder / "02-andre.nn.md").write_text(NN_MODULE, encoding="utf-8")
    sync_courses()
    db.session.commit()
    page = get(client, app, "/courses/proveko/m/andre")
    assert re.search(r'<div class="prose" lang="nb">\s*<p>Skriv en plan for to\.</p>', page)


def test_a_bokmal_title_inside_a_nynorsk_sentence_gets_its_own_lang(app):
    from flask import render_template_string

    from modules.catalog.content import Localized

    with app.test_request_context("/"):
        use_locale(app, "nn")
        html = render_template_string('<h1>{{ _("Quiz: %(title)s", title=t.inline) }}</h1>',
                                      t=Localized("Rus & uro", "nb"))
        assert html == '<h1>Quiz: <span lang="nb">Rus &amp; uro</span></h1>'
        same = render_template_string("{{ t.inline }}|{{ t.attr }}", t=Localized("Rus", "nn"))
        assert same == "Rus|"


def test_the_key_always_comes_from_the_bokmal_quiz(app, nynorsk):
    """Even a stored variant whose key differs (the check prevents it) cannot move it."""
    module = db.session.scalar(db.select(LearningModule).where(LearningModule.slug == "forste"))
    variants = {"nn": {**module.variants["nn"], "questions": [
        {**q, "correct": [1]} if q["id"] == "q1" else {**q, "answer": False}
        for q in module.variants["nn"]["questions"]]}}
    module.variants = variants
    db.session.flush()
    attempt = quizzes.start_or_resume_attempt(nynorsk, get_course_by_slug("proveko"), module,
                                              rng=random.Random(3), language="nn")
    by_id = {q["id"]: q for q in attempt.questions}
    assert by_id["q1"]["text"] == "Kva er rett?"
    assert (by_id["q1"]["correct"], by_id["q2"]["answer"]) == ([0], True)


def test_a_certificate_title_is_bokmal_inside_lang_nb_and_course_lists_use_the_variant(
        app, client, course_dir, make_user):
    """A certificate's title is kept as written (bokmål): on a nynorsk page it sits in
    lang="nb". Course titles in the admin's list, the item analysis filter and the list of
    missing prerequisites are the nynorsk variant."""
    folder = course_dir / "proveko"
    manifest = folder / "course.toml"
    manifest.write_text('title_nn = "Prøvekurs på nynorsk"\n' + manifest.read_text("utf-8")
                        + '\n[certificate]\ntitle = "Kursbevis: Prøvekurs"\nvalid_months = 7\n',
                        encoding="utf-8")
    write_package(course_dir / "videre", slug_title="Vidarekurs", prerequisites=["proveko"])
    assert not sync_courses().failed
    login(client, make_user(role="admin"))

    use_locale(app, "nn")
    course = get(client, app, "/courses/proveko")
    assert ('<dt>Kursbevis</dt><dd><span lang="nb">Prøvekurs</span> (gyldig i 7 månader)</dd>'
            in course)
    assert '<a href="/courses/proveko">Prøvekurs på nynorsk</a>' in get(
        client, app, "/admin/courses")
    assert '>Prøvekurs på nynorsk</option>' in get(client, app, "/reports/items")
    assert '<li><a href="/courses/proveko">Prøvekurs på nynorsk</a></li>' in get(
        client, app, "/courses/videre")

    use_locale(app, "nb")
    course = get(client, app, "/courses/proveko")
    assert '<dt>Kursbevis</dt><dd>Prøvekurs (gyldig i 7 måneder)</dd>' in course
