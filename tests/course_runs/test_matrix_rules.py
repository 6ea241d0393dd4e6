"""The participant matrix's rules, one by one, on courses with two quiz-and-practice
modules: who counts as started, stuck on a quiz or waiting for a practice review (any
module, not the last one), modules complete by each completion rule, attendance counted
in this run only, the completion date of this course only, and the header and the
"Bestått" column as the CSV shows them."""

import csv
import io
from datetime import date, time

import pytest

from modules.accounts.services import find_unit
from modules.catalog.services import get_course_by_slug, sync_courses
from modules.core.extensions import db
from modules.course_runs import attendance, exports, practice, queries, services
from modules.learning import services as learning
from tests.conftest import MODULE_MD, QUIZ_TOML, write_package
from tests.course_runs.conftest import PRACTICE_MD, write_run_course
from tests.helpers import take_quiz


def _two_modules():
    return {"01-en": (PRACTICE_MD.format(title="Modul en"), QUIZ_TOML),
            "02-to": (PRACTICE_MD.format(title="Modul to"), QUIZ_TOML)}


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_run_course(folder)  # "proveko": quizzes_passed = true, a quiz and a practice module
    write_package(folder / "tokurs", slug_title="To moduler", modules=_two_modules())
    write_package(folder / "lesekurs", slug_title="Lesekurs", modules=_two_modules(),
                  extra_manifest="[completion]\nquizzes_passed = false\n")
    write_package(folder / "annet", slug_title="Annet kurs", modules={
        "01-les": (MODULE_MD.format(title="Bare lesing"), None)})
    return folder


@pytest.fixture
def run_of(course, trainer):
    def factory(slug: str, title: str = "Gjennomføring"):
        run = services.create_run(trainer, title=title, course=get_course_by_slug(slug),
                                  unit=find_unit("ost"), place="Politihuset")
        db.session.commit()
        return run
    return factory


def _join(run, make_user, *names):
    users = [make_user(name=name, password=None) for name in names]
    for user in users:
        services.join_run(user, run)
    db.session.commit()
    return users


def _modules(run):
    return learning.list_placed_modules(services.course_of(run))


def _read(user, run, module):
    course = services.course_of(run)
    learning.mark_read(user, learning.get_enrolment(user, course), module)


def _rows(run, **kwargs):
    return {row.user.name: row for row in queries.build_matrix(run, **kwargs).rows}


def _names(run, key):
    return [row.user.name for row in queries.build_matrix(run, filter_key=key).rows]


def test_started_means_read_or_a_quiz_taken_or_practice_handed_in(run_of, make_user):
    run = run_of("tokurs")
    reader, quiz_taker, writer, _idle = _join(run, make_user, "Les", "Quiz", "Skriv", "Ingen")
    first, _second = _modules(run)
    _read(reader, run, first)
    take_quiz(quiz_taker, first, right=0)
    practice.submit(writer, first, text="Jeg prøvde.")
    db.session.commit()
    rows = _rows(run)
    assert {name: row.started for name, row in rows.items()} == {
        "Les": True, "Quiz": True, "Skriv": True, "Ingen": False}
    assert _names(run, "not_started") == ["Ingen"]


def test_stuck_and_waiting_hold_for_any_module_not_only_the_last(run_of, make_user):
    run = run_of("tokurs")
    stuck_first, stuck_none = _join(run, make_user, "Fast i en", "Ikke fast")
    first, second = _modules(run)
    take_quiz(stuck_first, first, right=0)   # failed the first module's quiz
    take_quiz(stuck_first, second, right=2)  # passed the second
    practice.submit(stuck_first, first, text="Venter på vurdering.")
    take_quiz(stuck_none, first, right=2)
    db.session.commit()
    rows = _rows(run)
    assert (rows["Fast i en"].stuck_quiz, rows["Ikke fast"].stuck_quiz) == (True, False)
    assert (rows["Fast i en"].practice_waiting, rows["Ikke fast"].practice_waiting) == (
        True, False)
    assert _names(run, "stuck_quiz") == ["Fast i en"]
    assert _names(run, "practice_waiting") == ["Fast i en"]


@pytest.mark.parametrize("slug, complete", [("tokurs", 1), ("lesekurs", 2)])
def test_modules_complete_follow_the_courses_quiz_rule(run_of, make_user, slug, complete):
    """Both modules read, the first quiz passed, the second failed: a module counts with
    its quiz passed, unless the course does not require passed quizzes (the default is
    that it does)."""
    run = run_of(slug)
    (user,) = _join(run, make_user, "Deltaker")
    first, second = _modules(run)
    for module in (first, second):
        _read(user, run, module)
    take_quiz(user, first, right=2)
    take_quiz(user, second, right=0)
    db.session.commit()
    assert _rows(run)["Deltaker"].modules_complete == complete


def test_a_read_module_without_a_quiz_is_complete_when_quizzes_are_required(run, make_user):
    (user,) = _join(run, make_user, "Leser")
    _quiz_module, practice_module = _modules(run)
    _read(user, run, practice_module)
    db.session.commit()
    assert _rows(run)["Leser"].modules_complete == 1


def test_attendance_counts_this_runs_sessions_only(run_of, make_user, trainer):
    run_a, run_b = run_of("tokurs", "A"), run_of("tokurs", "B")
    (user,) = _join(run_a, make_user, "Deltaker")
    services.join_run(user, run_b)
    sessions_a = [services.add_session(trainer, run_a, day=date(2027, 3, d), start=time(9),
                                       end=time(12)) for d in (1, 2)]
    sessions_b = [services.add_session(trainer, run_b, day=date(2027, 4, d), start=time(9),
                                       end=time(12)) for d in (1, 2, 3)]
    attendance.record_attendance(trainer, run_a, sessions_a[0], {user.id})
    for session in sessions_b:
        attendance.record_attendance(trainer, run_b, session, {user.id})
    db.session.commit()
    assert _rows(run_a)["Deltaker"].attendance == 0.5
    assert _rows(run_b)["Deltaker"].attendance == 1.0


def test_the_completed_column_is_this_courses_completion_only(run_of, make_user):
    run = run_of("tokurs")
    (user,) = _join(run, make_user, "Deltaker")
    other = get_course_by_slug("annet")
    enrolment = learning.enrol(user, other)
    for module in learning.list_placed_modules(other):
        learning.mark_read(user, enrolment, module)
    db.session.commit()
    assert enrolment.completed_at is not None
    assert _rows(run)["Deltaker"].completed_at is None


def test_the_csv_header_and_the_passed_column(run, make_user):
    passed, failed = _join(run, make_user, "Bestod", "Strøk")
    quiz_module, _practice_module = _modules(run)
    take_quiz(passed, quiz_module, right=2)
    take_quiz(failed, quiz_module, right=0)
    db.session.commit()
    rows = list(csv.reader(io.StringIO(
        exports.to_csv(queries.build_matrix(run)).decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Navn", "E-post", "Første modul: Lest", "Første modul: Beste quiz",
        "Første modul: Bestått", "Øving på å lytte: Lest", "Øving på å lytte: Praksis",
        "Oppmøte", "Fullført"]
    assert {row[0]: (row[3], row[4]) for row in rows[1:3]} == {
        "Bestod": ("100 %", "Ja"), "Strøk": ("0 %", "Nei")}


def test_the_totals_row_counts_approved_practice_and_completions(run, run_of, make_user,
                                                                 trainer):
    approved, handed_in, _nothing = _join(run, make_user, "Godkjent", "Levert", "Ingen")
    _quiz_module, practice_module = _modules(run)
    submission = practice.submit(approved, practice_module, text="Jeg lyttet.")
    practice.review(trainer, submission, run, approve=True)
    practice.submit(handed_in, practice_module, text="Jeg prøvde.")
    db.session.commit()
    rows = list(csv.reader(io.StringIO(
        exports.to_csv(queries.build_matrix(run)).decode("utf-8-sig")), delimiter=";"))
    totals = dict(zip(rows[0], rows[-1], strict=True))
    assert totals["Navn"] == "Totalt" and totals["Øving på å lytte: Praksis"] == "1"
    assert totals["Fullført"] == "0"

    reading = run_of("annet", "Lesing")
    done, _started, _idle = _join(reading, make_user, "Ferdig", "Begynt", "Venter")
    (module,) = _modules(reading)
    _read(done, reading, module)
    db.session.commit()
    rows = list(csv.reader(io.StringIO(
        exports.to_csv(queries.build_matrix(reading)).decode("utf-8-sig")), delimiter=";"))
    totals = dict(zip(rows[0], rows[-1], strict=True))
    assert (totals["Bare lesing: Lest"], totals["Fullført"], totals["Oppmøte"]) == ("1", "1", "")


def test_the_not_completed_filter(run_of, make_user):
    reading = run_of("annet", "Lesing")
    done, _idle = _join(reading, make_user, "Ferdig", "Venter")
    (module,) = _modules(reading)
    _read(done, reading, module)
    db.session.commit()
    assert _names(reading, "not_completed") == ["Venter"]
    assert _names(reading, "completed") == ["Ferdig"]


def test_sorting_by_attendance_puts_the_most_present_first_then_by_name(run_of, make_user,
                                                                       trainer):
    run = run_of("tokurs")
    _never, once, twice, also_once = _join(run, make_user, "Aldri", "Cecilie", "Bjørn",
                                           "Berit")
    sessions = [services.add_session(trainer, run, day=date(2027, 3, d), start=time(9),
                                     end=time(12)) for d in (1, 2)]
    attendance.record_attendance(trainer, run, sessions[0], {once.id, twice.id, also_once.id})
    attendance.record_attendance(trainer, run, sessions[1], {twice.id})
    db.session.commit()
    rows = queries.build_matrix(run, sort="attendance").rows
    assert [(row.user.name, row.attendance) for row in rows] == [
        ("Bjørn", 1.0), ("Berit", 0.5), ("Cecilie", 0.5), ("Aldri", 0.0)]


def test_the_columns_follow_the_modules_order_in_the_courses_newest_version(
        run_of, course_dir, make_user):
    """A new version of 'tokurs' puts "Modul to" first: the matrix follows the course's
    order, not the order the modules were first loaded in."""
    run = run_of("tokurs")
    _join(run, make_user, "Ada Ås")
    for old, new in (("01-en", "02-en"), ("02-to", "01-to")):
        for suffix in (".md", ".quiz.toml"):
            (course_dir / "tokurs" / f"{old}{suffix}").rename(
                course_dir / "tokurs" / f"{new}{suffix}")
    result = sync_courses()
    db.session.commit()
    assert not result.failed, result.failed
    columns = queries.build_matrix(run).columns
    assert list(dict.fromkeys(c.module.title for c in columns if c.module is not None)) == \
        ["Modul to", "Modul en"]
