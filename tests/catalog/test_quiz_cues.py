"""`courses check` warns about test-wise cues and about review/retake settings."""

import textwrap

from modules.catalog.package_format import check_packages
from tests.conftest import MODULE_MD, write_package

CUED_QUIZ = """\
pass_percent = 80
draw = 3
retry_after_minutes = 30

[review]
right_answer = "no_attempts_left"
feedback = "never"

[[questions]]
id = "lengst"
type = "single"
text = "Hva er riktig?"
choices = ["Kort", "Et langt og grundig svar som er riktig", "Mellomlangt svar"]
correct = [1]

[[questions]]
id = "balansert"
type = "single"
text = "Hva er også riktig?"
choices = ["Svar A er riktig", "Svar B er gal", "Svar C er også gal"]
correct = [0]

[[questions]]
id = "nesten-alle"
type = "multiple"
text = "Hvilke stemmer?"
choices = ["En", "To", "Tre", "Fire"]
correct = [0, 1, 3]

[[questions]]
id = "to-feil"
type = "multiple"
text = "Hvilke stemmer også?"
choices = ["En", "To", "Tre", "Fire"]
correct = [0, 1]

[[questions]]
id = "alle"
type = "single"
text = "Hva gjelder?"
choices = ["Dialog", "Møter", "Alle alternativene over"]
correct = [0]

[[questions]]
id = "like"
type = "single"
text = "Hvem?"
choices = ["Innbyggeren selv", "innbyggeren  selv.", "Kommunen"]
correct = [2]
"""


def _package(tmp_path, quiz: str, manifest: str = ""):
    write_package(tmp_path / "kurs", extra_manifest=manifest, modules={
        "01-modul": (MODULE_MD.format(title="Modul"), quiz)})
    return check_packages([tmp_path])[0]


def _messages(package) -> list[tuple[int, str]]:
    return [(w.line, w.message) for w in package.warnings]


def test_each_cue_is_warned_with_its_line(tmp_path):
    package = _package(tmp_path, CUED_QUIZ)
    assert package.problems == []
    warnings = _messages(package)
    assert (13, "advarsel: det riktige svaret er det lengste alternativet") in warnings
    assert (28, "advarsel: alle alternativene unntatt ett er riktige") in warnings
    assert any(line == 41 and "Alle alternativene over" in message
               for line, message in warnings)
    assert (48, "advarsel: «Innbyggeren selv» og «innbyggeren  selv.» har samme tekst") \
        in warnings
    # the balanced single and the multiple with two wrong options are not warned about
    assert not any(line in (20, 34, 35) for line, _message in warnings)
    assert package.cue_counts == {"single": 4, "single_longest": 1, "multiple": 2,
                                  "multiple_all_but_one": 1}


def test_draw_of_more_than_half_the_pool_is_warned_only_with_a_certificate(tmp_path):
    plain = _package(tmp_path, CUED_QUIZ.replace("draw = 3", "draw = 4"))
    assert not any("trekker" in m for _line, m in _messages(plain))
    certified = _package(tmp_path, CUED_QUIZ.replace("draw = 3", "draw = 4"),
                         '[certificate]\ntitle = "Bevis"')
    assert (2, "advarsel: quizen trekker 4 av 6 spørsmål; med kursbevis bør den trekke "
               "høyst halvparten, så nye forsøk ikke viser hele utvalget") \
        in _messages(certified)
    half = _package(tmp_path, CUED_QUIZ, '[certificate]\ntitle = "Bevis"')
    assert not any("trekker" in m for _line, m in _messages(half))


def test_review_and_retake_settings_merge_quiz_over_course_over_defaults(tmp_path):
    manifest = textwrap.dedent("""\
        [certificate]
        title = "Bevis"

        [quizzes]
        max_attempts = 4
        retry_after_minutes = 90

        [quizzes.review]
        explanation = "after_pass"
        """)
    package = _package(tmp_path, CUED_QUIZ, manifest)
    assert package.problems == []
    quiz = package.modules["modul"].quiz
    assert quiz.max_attempts == 4  # from course.toml
    assert quiz.retry_after_minutes == 30  # the quiz file wins
    assert quiz.review == {"correctness": "immediately", "points": "immediately",
                           "feedback": "never", "explanation": "after_pass",
                           "right_answer": "no_attempts_left"}


def test_without_certificate_everything_shows_at_once(tmp_path):
    quiz = _package(tmp_path, CUED_QUIZ.replace("[review]", "[review]\n")
                    .replace('right_answer = "no_attempts_left"\nfeedback = "never"\n', "")
                    ).modules["modul"].quiz
    assert set(quiz.review.values()) == {"immediately"}
    assert quiz.max_attempts == 0


def test_bad_review_and_retake_values_are_problems_with_lines(tmp_path):
    quiz = CUED_QUIZ.replace('feedback = "never"', 'feedback = "sometimes"\nsolution = "never"'
                             ).replace("retry_after_minutes = 30", "retry_after_minutes = -5")
    package = _package(tmp_path, quiz, '[quizzes]\nreview = { points = "later" }\n'
                                       'cue_threshold_percent = 140\nwait = 3')
    found = {(p.path.rsplit("/", 1)[-1], p.line, p.message) for p in package.problems}
    assert ("01-modul.quiz.toml", 3,
            "«retry_after_minutes» kan ikke være negativ (0 betyr ingen ventetid)") in found
    assert ("01-modul.quiz.toml", 7, "«feedback» må være en av immediately, after_pass, "
                                     "no_attempts_left, never") in found
    assert ("01-modul.quiz.toml", 8, "ukjent nøkkel «solution»; gyldige: correctness, points, "
                                     "feedback, explanation, right_answer") in found
    assert any(name == "course.toml" and "«points» må være en av" in message
               for name, _line, message in found)
    assert any(name == "course.toml" and "cue_threshold_percent" in message
               for name, _line, message in found)
    assert any(name == "course.toml" and "ukjent nøkkel «wait»" in message
               for name, _line, message in found)


def test_strict_fails_above_the_course_threshold_and_plain_check_does_not(app, tmp_path):
    folder = tmp_path / "pakker"
    write_package(folder / "kurs", modules={
        "01-modul": (MODULE_MD.format(title="Modul"), CUED_QUIZ)})
    runner = app.test_cli_runner()
    # shares: longest 1/4 = 25 %, all-but-one 1/2 = 50 % (above the default 35 %)
    plain = runner.invoke(args=["courses", "check", str(folder)])
    assert plain.exit_code == 0
    assert "kurs: longest option keyed 25 % (1/4 single), all but one correct 50 % " \
           "(1/2 multiple); threshold 35 % – ABOVE" in plain.output
    assert "01-modul.quiz.toml:28: advarsel: alle alternativene unntatt ett er riktige" \
        in plain.output
    assert runner.invoke(args=["courses", "check", "--strict", str(folder)]).exit_code == 1
    manifest = folder / "kurs" / "course.toml"
    manifest.write_text(manifest.read_text() + "\n[quizzes]\ncue_threshold_percent = 50\n")
    assert runner.invoke(args=["courses", "check", "--strict", str(folder)]).exit_code == 0


def test_catch_all_options_are_recognised_without_false_alarms():
    from modules.catalog.quiz_cues import CATCH_ALL, all_but_one_correct, longest_is_keyed

    for text in ("Alle alternativene over", "alle de ovennevnte", "Ingen av disse",
                 "Ingen av alternativene er riktige", "Begge ovenfor er riktige",
                 "Politiet og alle de ovennevnte", "Ingen av delene"):
        assert CATCH_ALL.search(text), text
    for text in ("Alle over 15 år kan samtykke selv", "Alle innbyggere i området",
                 "Ingen innbyggere ble spurt", "De som er berørt, ikke alle disse"):
        assert not CATCH_ALL.search(text), text
    # a tie for the longest is no cue; spacing does not count
    assert not longest_is_keyed(["Lang nok", "Lang nok"[::-1]], [0])
    assert not longest_is_keyed(["Svar  a", "Svar b"], [0])
    assert longest_is_keyed(["Svar ab", "Svar b"], [0])
    assert all_but_one_correct(["a", "b", "c"], [0, 2])
    assert not all_but_one_correct(["a", "b"], [0])  # two options: a single in disguise
