"""Fuzzing the course-package loader: whatever bytes or TOML-ish text an author commits
in course.toml, a module or a quiz file, the loader answers with problems or a course,
never an exception."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modules.catalog.package_format import check_packages, parse_package

KEYS = ["title", "summary", "track", "audience", "language", "prerequisites", "modules",
        "quizzes_passed", "practice_approved", "attendance_percent", "valid_months",
        "signoff_by", "area", "minutes", "prompt", "pass_percent", "draw", "max_attempts",
        "shuffle", "id", "type", "text", "choices", "correct", "answer", "items", "pairs",
        "explanation", "unknown"]
TABLES = ["[completion]", "[certificate]", "[practice]", "[[questions]]", "[questions]",
          "[[modules]]", "[title]"]
SCALARS = st.one_of(
    st.text(max_size=12).map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'),
    st.integers(-10**20, 10**20).map(str), st.sampled_from(["true", "false", "nan", "inf",
                                                            "-0", "1.5", "1979-05-27"]),
    st.sampled_from(['"basis"', '"kursholder"', '"single"', '"multiple"', '"truefalse"',
                     '"order"', '"match"', '"involvering"', '"proveko"', '"a/b"', '""']))
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=4).map(lambda v: f"[{', '.join(v)}]"),
                   st.lists(st.lists(SCALARS, max_size=3).map(
                       lambda v: f"[{', '.join(v)}]"), max_size=3).map(
                       lambda v: f"[{', '.join(v)}]"),
                   st.just("{ a = 1 }"))
LINE = st.one_of(st.tuples(st.sampled_from(KEYS), VALUES).map(lambda kv: f"{kv[0]} = {kv[1]}"),
                 st.sampled_from(TABLES), st.text(max_size=20))
TOMLISH = st.lists(LINE, max_size=14).map("\n".join)
CONTENT = st.one_of(TOMLISH.map(str.encode), st.binary(max_size=200),
                    st.text(max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass")))
MODULE = st.one_of(
    st.tuples(TOMLISH, st.text(max_size=80)).map(
        lambda parts: f"+++\n{parts[0]}\n+++\n{parts[1]}".encode("utf-8", "surrogatepass")),
    st.binary(max_size=120))
NAMES = st.sampled_from(["01-forste", "02-andre", "01-andre", "3-x", "01-Ugyldig", "99-z"])


def _load(course: bytes, modules: dict[str, tuple[bytes, bytes | None]]):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "kurs"
        folder.mkdir()
        (folder / "course.toml").write_bytes(course)
        for stem, (markdown, quiz) in modules.items():
            (folder / f"{stem}.md").write_bytes(markdown)
            if quiz is not None:
                (folder / f"{stem}.quiz.toml").write_bytes(quiz)
        package = parse_package(folder)
        _assert_well_formed(package, folder)
        for checked in check_packages([folder]):
            _assert_well_formed(checked, folder)
        return package


def _assert_well_formed(package, folder: Path) -> None:
    """A package is either loadable with no problem, or refused with problems an author
    can act on: each names a file of the package, a line in it and a message."""
    files = {p.name for p in folder.iterdir()}
    for problem in package.problems:
        assert Path(problem.path).name in files, problem
        assert isinstance(problem.line, int) and problem.line >= 0, problem
        assert problem.message.strip() and "Traceback" not in problem.message, problem
        assert str(problem).startswith(f"{problem.path}:{problem.line}: ")
    if package.ok:
        assert package.title and package.modules


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(course=CONTENT,
       modules=st.dictionaries(NAMES, st.tuples(MODULE, st.one_of(st.none(), CONTENT)),
                               max_size=3))
def test_any_package_gives_problems_or_a_course(course, modules):
    _load(course, modules)


VALID_COURSE = b'title = "T"\nsummary = "S"\ntrack = "basis"\n'
VALID_MODULE = b'+++\ntitle = "M"\narea = "involvering"\nminutes = 5\n+++\n# M\n'


@settings(max_examples=300, deadline=None)
@given(quiz=TOMLISH)
def test_any_quiz_next_to_a_valid_module_gives_problems_or_a_course(quiz):
    package = _load(VALID_COURSE, {"01-forste": (VALID_MODULE, quiz.encode("utf-8",
                                                                         "surrogatepass"))})
    if package.ok and package.modules["forste"].quiz is not None:
        assert package.modules["forste"].quiz.questions


@settings(max_examples=200, deadline=None)
@given(front=TOMLISH, manifest_extra=TOMLISH)
def test_any_front_matter_and_manifest_keys_give_problems_or_a_course(front, manifest_extra):
    course = VALID_COURSE + b"\n" + manifest_extra.encode("utf-8", "surrogatepass")
    module = f"+++\n{front}\n+++\n# M\n".encode("utf-8", "surrogatepass")
    _load(course, {"01-forste": (module, None)})
