"""Enrolment, prerequisites, progress and completion as plain functions."""

import pytest

from modules.catalog.services import get_course_by_slug, sync_courses
from modules.core.extensions import db
from modules.learning import services
from modules.learning.signals import course_completed
from tests.conftest import write_package
from tests.helpers import pass_quiz, take_quiz


@pytest.fixture
def two_courses(app, course_dir):
    write_package(course_dir / "videre", slug_title="Videregående", prerequisites=["proveko"])
    result = sync_courses()
    db.session.commit()
    assert not result.failed
    return get_course_by_slug("proveko"), get_course_by_slug("videre")


def test_enrol_is_idempotent(two_courses, make_user):
    basic, _ = two_courses
    user = make_user()
    first = services.enrol(user, basic)
    second = services.enrol(user, basic)
    assert first.id == second.id


def test_prerequisites_are_enforced_until_completed(two_courses, make_user):
    basic, advanced = two_courses
    user = make_user()
    with pytest.raises(services.LearningError, match="Prøvekurs"):
        services.enrol(user, advanced)
    enrolment = services.enrol(user, basic)
    for module in services.list_placed_modules(basic):
        services.mark_read(user, enrolment, module)
        if module.quiz:
            pass_quiz(user, module)
    assert enrolment.completed_at is not None
    assert services.enrol(user, advanced).course_id == advanced.id


def test_prerequisite_enrolled_but_not_completed_still_blocks(two_courses, make_user):
    basic, advanced = two_courses
    user = make_user()
    enrolment = services.enrol(user, basic)
    first, _second = services.list_placed_modules(basic)
    services.mark_read(user, enrolment, first)  # one of two modules done
    assert [c.slug for c in services.missing_prerequisites(user, advanced)] == ["proveko"]
    with pytest.raises(services.LearningError, match="Prøvekurs"):
        services.enrol(user, advanced)
    assert services.get_enrolment(user, advanced) is None


def test_progress_counts_read_and_quiz(two_courses, make_user):
    basic, _ = two_courses
    user = make_user()
    enrolment = services.enrol(user, basic)
    first, second = services.list_placed_modules(basic)
    services.mark_read(user, enrolment, first)
    progress = services.summarise(services.module_states(user, basic, [first, second]))
    assert (progress.read, progress.complete) == (1, 0)  # quiz still missing
    take_quiz(user, first, right=0)  # 0 of 2: failed
    states = services.module_states(user, basic, [first, second])
    assert states[0].quiz_best_share == 0.0 and not states[0].quiz_passed
    take_quiz(user, first, right=1)  # 1 of 2: exactly the 50 % pass mark
    services.mark_read(user, enrolment, second)
    states = services.module_states(user, basic, [first, second])
    assert states[0].quiz_best_share == 0.5 and states[0].quiz_passed
    assert services.summarise(states).complete == 2
    assert services.progress_by_course(user, [basic.id])[basic.id].complete == 2


def test_course_completed_is_sent_exactly_once(two_courses, make_user):
    basic, _ = two_courses
    user = make_user()
    received = []

    def receiver(enrolment, **extra):
        received.append((enrolment.id, extra["course"].slug))

    course_completed.connect(receiver)
    try:
        enrolment = services.enrol(user, basic)
        for module in services.list_placed_modules(basic):
            services.mark_read(user, enrolment, module)
            services.mark_read(user, enrolment, module)
            if module.quiz:
                pass_quiz(user, module)
                pass_quiz(user, module)
    finally:
        course_completed.disconnect(receiver)
    assert received == [(enrolment.id, "proveko")]


def test_extra_completion_requirement_blocks_completion(two_courses, make_user):
    basic, _ = two_courses
    user = make_user()

    def attendance_rule(enrolment, course):
        return (False, "Oppmøte")

    services.register_completion_requirement(attendance_rule)
    try:
        enrolment = services.enrol(user, basic)
        for module in services.list_placed_modules(basic):
            services.mark_read(user, enrolment, module)
            if module.quiz:
                pass_quiz(user, module)
        assert enrolment.completed_at is None
    finally:
        services._requirements.remove(attendance_rule)


def test_mark_read_refuses_another_users_enrolment(two_courses, make_user):
    basic, _ = two_courses
    owner, other = make_user(), make_user()
    enrolment = services.enrol(owner, basic)
    module = services.list_placed_modules(basic)[0]
    with pytest.raises(services.LearningError):
        services.mark_read(other, enrolment, module)
