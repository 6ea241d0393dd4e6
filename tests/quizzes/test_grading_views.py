"""What a participant is shown of a drawn question, and the refusal of a forged answer,
worked out by hand (survivors of `make mutate` on modules/quizzes/grading.py)."""

import pytest

from modules.quizzes import grading

SINGLE = {"id": "s", "type": "single", "text": "Hvem leder?", "choices": ["A", "B", "C"],
          "correct": [1], "choice_order": [2, 0, 1], "explanation": "B leder."}
ORDER = {"id": "o", "type": "order", "text": "Rekkefølge?", "items": ["en", "to", "tre"],
         "item_order": [1, 2, 0], "lang": "nn"}
MATCH = {"id": "m", "type": "match", "text": "Par?",
         "pairs": [["venstre1", "høyre1"], ["venstre2", "høyre2"], ["venstre3", "høyre3"]],
         "left_order": [2, 0, 1], "right_order": [1, 2, 0]}
TRUEFALSE = {"id": "t", "type": "truefalse", "text": "Sant?", "answer": False}
MULTIPLE = {"id": "mu", "type": "multiple", "text": "Hvilke?", "choices": ["x", "y", "z"],
            "correct": [0, 2], "choice_order": [0, 1, 2]}


def test_shown_question_holds_its_texts_in_the_drawn_order_and_never_the_key():
    assert grading.shown(SINGLE) == {"id": "s", "type": "single", "text": "Hvem leder?",
                                     "lang": "nb", "choices": ["C", "A", "B"]}
    assert grading.shown(ORDER) == {"id": "o", "type": "order", "text": "Rekkefølge?",
                                    "lang": "nn", "items": ["to", "tre", "en"]}
    assert grading.shown(MATCH) == {"id": "m", "type": "match", "text": "Par?", "lang": "nb",
                                    "left": ["venstre3", "venstre1", "venstre2"],
                                    "right": ["høyre2", "høyre3", "høyre1"]}
    assert grading.shown(TRUEFALSE) == {"id": "t", "type": "truefalse", "text": "Sant?",
                                        "lang": "nb"}


@pytest.mark.parametrize(("form", "number"), [
    ({"q:s": ["3"]}, 1),                       # past the three shown choices
    ({"q:s": ["0", "1"]}, 1),                  # two answers to a single choice
    ({"q:t": ["kanskje"]}, 2),                 # neither true nor false
    ({"q:o:0": ["4"]}, 3),                     # order positions are 1..3
    ({"q:mu": ["1", "1"]}, 4),                 # the same choice twice
])
def test_an_answer_outside_the_shown_options_is_refused_with_the_questions_number(
        app, form, number):
    with app.test_request_context(), pytest.raises(grading.AnswerError) as refused:
        grading.parse_answers([SINGLE, TRUEFALSE, ORDER, MULTIPLE], form, allowed_extra=set(),
                              require_all=False)
    message = (f"Svaret på spørsmål {number} er ikke et av alternativene. "
               "Ingenting er lagret.")
    assert refused.value.message == message
    assert str(refused.value) == message


def test_an_empty_multiple_choice_is_unanswered_not_refused(app):
    """Autosave posts "" for a multiple-choice question with nothing ticked."""
    with app.test_request_context():
        assert grading.parse_answers([MULTIPLE], {"q:mu": [""]}, allowed_extra=set(),
                                     require_all=False) == {}
        assert grading.parse_answers([MULTIPLE], {"q:mu": ["", "2", "0"]},
                                     allowed_extra=set(), require_all=False) == {"mu": [0, 2]}
        with pytest.raises(grading.AnswerError) as refused:
            grading.parse_answers([MULTIPLE], {"q:mu": [""]}, allowed_extra=set(),
                                  require_all=True)
    assert refused.value.missing == [1]
    assert refused.value.message == "Svar på alle spørsmålene før du leverer. Ubesvart: 1."


@pytest.mark.parametrize(("form", "message"), [
    ({"q:zzz": ["0"]}, "Svaret gjelder et spørsmål som ikke er med i dette forsøket. "
                       "Ingenting er lagret."),
    ({"q:s": ["0"], "role": ["admin"]}, "Skjemaet inneholder ukjente felt. Ingenting er lagret."),
])
def test_a_field_the_attempt_does_not_have_is_refused_and_says_so(app, form, message):
    with app.test_request_context(), pytest.raises(grading.AnswerError) as refused:
        grading.parse_answers([SINGLE], form, allowed_extra=set(), require_all=False)
    assert refused.value.message == message
    with app.test_request_context():  # a field the form itself adds is let through
        assert grading.parse_answers([SINGLE], {"q:s": ["0"], "role": ["x"]},
                                     allowed_extra={"role"}, require_all=False) == {"s": 0}
