"""The loader against a valid package and each kind of broken package the
format lists: one test per kind, asserting the message and the line."""

from pathlib import Path

import pytest

from modules.catalog.package_format import check_packages
from tests.conftest import MODULE_MD, QUIZ_TOML, write_package


def problems_of(folder: Path) -> list[str]:
    packages = check_packages([folder], [folder])
    return [str(p) for package in packages for p in package.problems]


def only_problem(folder: Path) -> str:
    problems = problems_of(folder)
    assert len(problems) == 1, problems
    return problems[0]


def test_valid_package_loads_with_modules_quiz_and_version(tmp_path):
    write_package(tmp_path / "kurs")
    [package] = check_packages([tmp_path], [tmp_path])
    assert package.ok, package.problems
    assert package.module_refs == ["kurs/forste", "kurs/andre"]
    assert package.modules["forste"].quiz.draw == 2
    assert package.completion == {"quizzes_passed": True, "practice_approved": False,
                                  "attendance_percent": 0}
    assert len(package.version) == 16


def test_version_changes_when_a_file_changes(tmp_path):
    folder = write_package(tmp_path / "kurs")
    [before] = check_packages([tmp_path], [tmp_path])
    (folder / "02-andre.md").write_text(MODULE_MD.format(title="Endret"), encoding="utf-8")
    [after] = check_packages([tmp_path], [tmp_path])
    assert before.version != after.version


def test_invalid_toml_reports_its_line(tmp_path):
    folder = write_package(tmp_path / "kurs")
    (folder / "course.toml").write_text('title = "x"\nsummary = "y"\ntrack = basis\n')
    problem = only_problem(tmp_path)
    assert problem.startswith(f"{folder / 'course.toml'}:3: ugyldig TOML")


def test_unknown_key_reports_its_line(tmp_path):
    folder = write_package(tmp_path / "kurs", extra_manifest='colour = "blå"')
    problem = only_problem(tmp_path)
    assert problem == f"{folder / 'course.toml'}:6: ukjent nøkkel «colour»"


def test_missing_required_key(tmp_path):
    folder = write_package(tmp_path / "kurs")
    text = (folder / "course.toml").read_text().replace('track = "basis"\n', "")
    (folder / "course.toml").write_text(text)
    assert only_problem(tmp_path) == f"{folder / 'course.toml'}:1: mangler påkrevd nøkkel «track»"


def test_wrong_type(tmp_path):
    folder = write_package(tmp_path / "kurs")
    quiz = QUIZ_TOML.replace("pass_percent = 50", 'pass_percent = "femti"')
    (folder / "01-forste.quiz.toml").write_text(quiz)
    assert only_problem(tmp_path) == (
        f"{folder / '01-forste.quiz.toml'}:1: «pass_percent» må være heltall")


def test_bad_course_slug(tmp_path):
    write_package(tmp_path / "Mitt_Kurs")
    problem = only_problem(tmp_path)
    assert ":1: ugyldig kursnavn «Mitt_Kurs»" in problem


def test_bad_module_slug(tmp_path):
    folder = write_package(tmp_path / "kurs")
    (folder / "03-Ny_Modul.md").write_text(MODULE_MD.format(title="Ny"))
    assert only_problem(tmp_path) == (
        f"{folder / '03-Ny_Modul.md'}:1: ugyldig modulnavn «Ny_Modul»: bruk små bokstaver a–z, "
        "tall og bindestrek")


def test_duplicate_question_ids(tmp_path):
    folder = write_package(tmp_path / "kurs")
    quiz = QUIZ_TOML.replace('id = "q2"', 'id = "q1"')
    (folder / "01-forste.quiz.toml").write_text(quiz)
    assert only_problem(tmp_path) == (
        f"{folder / '01-forste.quiz.toml'}:14: spørsmåls-id «q1» er brukt flere ganger")


def test_correct_out_of_range(tmp_path):
    folder = write_package(tmp_path / "kurs")
    (folder / "01-forste.quiz.toml").write_text(QUIZ_TOML.replace("correct = [0]",
                                                                   "correct = [2]"))
    assert only_problem(tmp_path) == (
        f"{folder / '01-forste.quiz.toml'}:10: «correct» peker utenfor «choices» "
        "(gyldige indekser er 0–1)")


def test_single_without_exactly_one_correct(tmp_path):
    folder = write_package(tmp_path / "kurs")
    (folder / "01-forste.quiz.toml").write_text(QUIZ_TOML.replace("correct = [0]",
                                                                   "correct = [0, 1]"))
    assert only_problem(tmp_path) == (
        f"{folder / '01-forste.quiz.toml'}:10: et «single»-spørsmål må ha nøyaktig ett riktig svar")


def test_draw_larger_than_pool(tmp_path):
    folder = write_package(tmp_path / "kurs")
    (folder / "01-forste.quiz.toml").write_text(QUIZ_TOML.replace("draw = 2", "draw = 5"))
    assert only_problem(tmp_path) == (
        f"{folder / '01-forste.quiz.toml'}:2: «draw» (5) er større enn antall spørsmål (2)")


def test_module_reference_that_does_not_resolve(tmp_path):
    folder = write_package(tmp_path / "kurs",
                           extra_manifest='modules = ["forste", "annet-kurs/finnes-ikke"]')
    assert only_problem(tmp_path) == (
        f"{folder / 'course.toml'}:6: modulen «annet-kurs/finnes-ikke» finnes ikke")


def test_module_reference_to_another_package_resolves(tmp_path):
    write_package(tmp_path / "a")
    write_package(tmp_path / "b", extra_manifest='modules = ["a/forste", "andre"]')
    assert problems_of(tmp_path) == []
    packages = {p.slug: p for p in check_packages([tmp_path], [tmp_path])}
    assert packages["b"].module_refs == ["a/forste", "b/andre"]


def test_prerequisite_that_does_not_resolve(tmp_path):
    folder = write_package(tmp_path / "kurs", prerequisites=["finnes-ikke"])
    assert only_problem(tmp_path) == (
        f"{folder / 'course.toml'}:5: forkunnskapskravet «finnes-ikke» finnes ikke")


def test_prerequisite_cycle(tmp_path):
    write_package(tmp_path / "a", prerequisites=["b"])
    write_package(tmp_path / "b", prerequisites=["a"])
    problems = problems_of(tmp_path)
    assert len(problems) == 2
    assert all(":5: forkunnskapskravene går i ring" in p for p in problems)
    assert any("a → b → a" in p for p in problems)


def test_link_to_missing_file(tmp_path):
    folder = write_package(tmp_path / "kurs")
    text = MODULE_MD.format(title="Andre").replace("files/mal.md", "files/mangler.pdf")
    (folder / "02-andre.md").write_text(text)
    assert only_problem(tmp_path) == (
        f"{folder / '02-andre.md'}:10: lenken peker på en fil som ikke finnes: files/mangler.pdf")


def test_invalid_toml_in_front_matter_counts_lines_from_the_file(tmp_path):
    folder = write_package(tmp_path / "kurs")
    (folder / "02-andre.md").write_text('+++\ntitle = "x"\narea = \n+++\nTekst\n')
    problem = only_problem(tmp_path)
    assert problem.startswith(f"{folder / '02-andre.md'}:3: ugyldig TOML")


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    folder = write_package(tmp_path / "kurs", extra_manifest='farge = "rød"')
    (folder / "01-forste.quiz.toml").write_text(QUIZ_TOML.replace("draw = 2", "draw = 9")
                                                 .replace("correct = [0]", "correct = [7]"))
    assert len(problems_of(tmp_path)) == 3


@pytest.mark.parametrize("content", [b"\xff\xfe\x00", b"+++\n+++\n", b"", b"+++\ntitle = 1\n"])
def test_garbage_module_files_give_problems_not_crashes(tmp_path, content):
    folder = write_package(tmp_path / "kurs")
    (folder / "03-rot.md").write_bytes(content)
    assert problems_of(tmp_path)


def test_shipped_courses_pass_the_check():
    root = Path(__file__).resolve().parents[2] / "courses"
    assert problems_of(root) == []


def test_refresher_course_that_does_not_resolve(tmp_path):
    folder = write_package(tmp_path / "kurs", extra_manifest=(
        '[certificate]\ntitle = "Kursbevis"\nrenewal_course = "finnes-ikke"'))
    assert only_problem(tmp_path) == (
        f"{folder / 'course.toml'}:8: oppfriskningskurset «finnes-ikke» finnes ikke")
