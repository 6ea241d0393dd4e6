"""Learning rules at their edges, found by mutation testing (docs/testing.md): which
results are recorded, what a restart for renewal clears, progress that is the user's
own, and the enrolments Min side reads once per request."""

import re
from datetime import timedelta

import pytest

from modules.catalog.models import Course
from modules.catalog.services import get_course_by_slug, sync_courses
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.learning import services
from modules.learning.models import ModuleProgress
from modules.learning.services import CourseProgress
from modules.learning.signals import quiz_graded
from tests.conftest import MODULE_MD, login, write_package
from tests.helpers import count_queries, pass_quiz, take_quiz

ONE_QUESTION = ('pass_percent = 100\n\n[[questions]]\nid = "e1"\ntype = "truefalse"\n'
                'text = "Politiet inviterer innbyggerne?"\nanswer = true\n')


@pytest.fixture
def courses(app, course_dir):
    """'proveko' (two modules, a quiz drawing 2 of 2 with pass mark 50 %) and 'enkel'
    (one module whose quiz has one question)."""
    write_package(course_dir / "enkel", slug_title="Enkelt kurs", modules={
        "01-eneste": (MODULE_MD.format(title="Eneste modul"), ONE_QUESTION)})
    result = sync_courses()
    db.session.commit()
    assert not result.failed, result.failed
    return get_course_by_slug("proveko"), get_course_by_slug("enkel")


def _complete(person, course):
    enrolment = services.enrol(person, course)
    for module in services.list_placed_modules(course):
        services.mark_read(person, enrolment, module)
        if module.quiz:
            pass_quiz(person, module)
    db.session.commit()
    assert enrolment.completed_at is not None
    return enrolment


def _progress(person, course) -> CourseProgress:
    return services.progress_by_course(person, [course.id])[course.id]


def test_a_one_question_quiz_answered_right_is_a_whole_result(courses, make_user):
    _basic, single = courses
    user = make_user()
    services.enrol(user, single)
    [module] = services.list_placed_modules(single)
    shares = []
    quiz_graded.connect(receiver := lambda sender, **extra: shares.append(
        (sender.id, extra["score_share"], extra["passed"])))
    try:
        attempt = take_quiz(user, module, right=1)
    finally:
        quiz_graded.disconnect(receiver)
    assert (attempt.score, attempt.asked, attempt.passed) == (1, 1, True)
    assert shares == [(user.id, 1.0, True)]
    row = db.session.scalar(db.select(ModuleProgress).where(
        ModuleProgress.user_id == user.id, ModuleProgress.learning_module_id == module.id))
    assert row.quiz_best_share == 1.0 and row.quiz_passed_at is not None


def test_a_result_is_refused_unless_it_is_a_graded_attempt_of_that_user_on_its_scale(
        courses, make_user):
    """Each condition on its own: another person's attempt, an attempt not submitted,
    a share instead of a count, nothing asked, more right than asked, fewer than none.
    A refusal records nothing."""
    basic, _single = courses
    user, other = make_user(), make_user()
    services.enrol(user, basic)
    module = services.list_placed_modules(basic)[0]
    shares = []
    quiz_graded.connect(receiver := lambda sender, **extra: shares.append(extra["score_share"]))
    try:
        graded = take_quiz(user, module, right=1)  # 1 of 2: 50 %, passed
        assert shares == [0.5]
        cases = [(other, {}), (user, {"status": "open"}), (user, {"score": 0.5}),
                 (user, {"score": 0, "asked": 0}), (user, {"score": 3}),
                 (user, {"score": -1})]
        for person, changes in cases:
            kept = {name: getattr(graded, name) for name in changes}
            for name, value in changes.items():
                setattr(graded, name, value)
            message = (f"not a graded attempt of user {person.id}: "
                       f"{graded.score!r} of {graded.asked!r}")
            with pytest.raises(ValueError, match=re.escape(message)):
                services.record_quiz_result(person, graded)
            for name, value in kept.items():
                setattr(graded, name, value)
    finally:
        quiz_graded.disconnect(receiver)
    assert shares == [0.5]
    rows = db.session.scalars(db.select(ModuleProgress)).all()
    assert [(r.user_id, r.quiz_best_share) for r in rows] == [(user.id, 0.5)]


def test_restarting_for_renewal_clears_only_this_persons_progress_in_this_course(
        courses, make_user):
    basic, single = courses
    user, other = make_user(), make_user()
    for person in (user, other):
        for course in (basic, single):
            _complete(person, course)
    enrolment = services.get_enrolment(user, basic)
    assert enrolment.cycle == 1

    services.restart_course(enrolment, basic)
    db.session.commit()
    assert (enrolment.cycle, enrolment.completed_at, enrolment.last_module_id) == (2, None, None)
    assert _progress(user, basic) == CourseProgress(total=2, read=0, complete=0)
    cleared = db.session.scalars(db.select(ModuleProgress).where(
        ModuleProgress.user_id == user.id,
        ModuleProgress.learning_module_id.in_(
            [m.id for m in services.list_placed_modules(basic)]))).all()
    assert len(cleared) == 2
    assert {(r.read_at, r.quiz_passed_at, r.quiz_best_share) for r in cleared} == {
        (None, None, None)}
    # The user's other course, and the other person, keep everything.
    assert _progress(user, single) == CourseProgress(total=1, read=1, complete=1)
    assert _progress(other, basic) == CourseProgress(total=2, read=2, complete=2)
    assert services.get_enrolment(other, basic).cycle == 1

    services.restart_course(enrolment, basic)
    assert enrolment.cycle == 3


def test_progress_counts_only_the_users_own_reading_and_quizzes(courses, make_user):
    basic, single = courses
    user, other = make_user(), make_user()
    _complete(other, single)
    enrolment = services.enrol(user, basic)
    for module in services.list_placed_modules(basic):  # both read, the quiz not taken
        services.mark_read(user, enrolment, module)
    assert services.progress_by_course(user, [basic.id, single.id]) == {
        basic.id: CourseProgress(total=2, read=2, complete=1),
        single.id: CourseProgress(total=1, read=0, complete=0)}
    assert enrolment.completed_at is None  # the quiz is required by default


def test_a_course_that_does_not_ask_for_quizzes_counts_a_read_module_complete(
        app, course_dir, make_user):
    write_package(course_dir / "lesekurs", slug_title="Lesekurs",
                  extra_manifest="[completion]\nquizzes_passed = false\n")
    sync_courses()
    db.session.commit()
    course = get_course_by_slug("lesekurs")
    user = make_user()
    enrolment = services.enrol(user, course)
    first, second = services.list_placed_modules(course)
    assert first.quiz  # it has a quiz, not required here
    services.mark_read(user, enrolment, first)
    assert _progress(user, course) == CourseProgress(total=2, read=1, complete=1)
    services.mark_read(user, enrolment, second)
    assert enrolment.completed_at is not None


def test_enrolments_are_read_once_per_request_latest_activity_first(app, courses, make_user):
    basic, single = courses
    user = make_user()
    first, second = services.enrol(user, basic), services.enrol(user, single)
    now = utcnow()
    first.last_activity_at, second.last_activity_at = now - timedelta(days=2), now
    db.session.commit()
    assert user.id  # loaded again after the commit, outside the count

    with app.test_request_context("/min-side"):
        with count_queries() as statements:
            listed = services.user_enrolments(user)
            again = services.user_enrolments(user)
        assert statements[0] == 1 and again is listed
    assert [e.course_id for e in listed] == [single.id, basic.id]

    # Outside a request (a CLI command) each call reads afresh.
    with count_queries() as statements:
        assert [e.id for e in services.user_enrolments(user)] == [second.id, first.id]
        services.user_enrolments(user)
    assert statements[0] == 2


def test_an_unknown_module_key_is_none_and_its_page_a_404(client, courses, make_user):
    basic, _single = courses
    assert services.find_placed_module(basic, "finnes-ikke") is None
    user = make_user()
    services.enrol(user, basic)
    db.session.commit()
    login(client, user)
    assert client.get("/courses/proveko/m/finnes-ikke/quiz").status_code == 404
    assert client.get("/courses/proveko/m/finnes-ikke").status_code == 404


def test_enrolling_without_the_prerequisite_says_which_course_to_complete(
        client, course_dir, make_user):
    write_package(course_dir / "videre", slug_title="Videregående", prerequisites=["proveko"])
    sync_courses()
    db.session.commit()
    login(client, make_user())
    response = client.post("/courses/videre/enrol", follow_redirects=True)
    assert ("Du må fullføre Prøvekurs før du kan melde deg på dette kurset."
            in response.get_data(as_text=True))


def test_a_prerequisite_completed_by_someone_else_does_not_count(courses, course_dir,
                                                                 make_user):
    write_package(course_dir / "videre", slug_title="Videregående", prerequisites=["proveko"])
    sync_courses()
    db.session.commit()
    basic, advanced = get_course_by_slug("proveko"), get_course_by_slug("videre")
    user, colleague = make_user(), make_user()
    _complete(colleague, basic)
    assert [c.slug for c in services.missing_prerequisites(user, advanced)] == ["proveko"]
    with pytest.raises(services.LearningError):
        services.enrol(user, advanced)
    assert services.missing_prerequisites(colleague, advanced) == []


def test_a_prerequisite_no_longer_loaded_is_named_by_its_slug_and_cannot_be_met(
        courses, make_user):
    basic, _single = courses
    user = make_user()
    _complete(user, basic)
    # As if the package 'forsvunnet' had been removed after this course was loaded.
    advanced = Course(slug="videre", title="Videregående",
                      prerequisites=["proveko", "forsvunnet"])
    missing = services.missing_prerequisites(user, advanced)
    assert [(c.id, c.slug, c.title) for c in missing] == [(None, "forsvunnet", "forsvunnet")]
    with pytest.raises(services.LearningError) as refused:
        services.enrol(user, advanced)
    assert refused.value.message == ("Du må fullføre forsvunnet før du kan melde deg på "
                                     "dette kurset.")


def test_a_visit_is_written_when_the_module_changes_or_five_minutes_have_passed(
        courses, make_user, monkeypatch):
    basic, _single = courses
    user = make_user()
    enrolment = services.enrol(user, basic)
    first, second = services.list_placed_modules(basic)
    start = utcnow()
    clock = [start]
    monkeypatch.setattr(services, "utcnow", lambda: clock[0])
    assert services.record_visit(enrolment, first) is True
    assert (enrolment.last_module_id, enrolment.last_activity_at) == (first.id, start)
    clock[0] = start + timedelta(minutes=4, seconds=59)
    assert services.record_visit(enrolment, first) is False
    assert enrolment.last_activity_at == start
    assert services.record_visit(enrolment, second) is True  # another module: written
    assert enrolment.last_activity_at == clock[0]
    clock[0] += timedelta(minutes=5)  # exactly five minutes later
    assert services.record_visit(enrolment, second) is True
    assert enrolment.last_activity_at == clock[0]


def test_marking_someone_elses_enrolment_read_is_refused(courses, make_user):
    basic, _single = courses
    user, other = make_user(), make_user()
    enrolment = services.enrol(user, basic)
    with pytest.raises(services.LearningError) as refused:
        services.mark_read(other, enrolment, services.list_placed_modules(basic)[0])
    assert refused.value.message == "Påmeldingen tilhører en annen bruker."
    assert db.session.scalar(db.select(db.func.count(ModuleProgress.id))) == 0


def test_completing_the_last_module_completes_only_the_users_own_enrolment(courses,
                                                                          make_user):
    _basic, single = courses
    user, other = make_user(), make_user()
    mine, theirs = services.enrol(user, single), services.enrol(other, single)
    [module] = services.list_placed_modules(single)
    pass_quiz(user, module)
    assert mine.completed_at is None  # not read yet
    services.mark_read(user, mine, module)
    assert mine.completed_at is not None and theirs.completed_at is None
