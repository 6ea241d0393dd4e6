"""The key of an open attempt never leaves the server (issue 16, point 1).

The proof for every question type: two snapshots that *show* the same (same
texts, same options in the same shown order) but have different keys (other
right option, other truth value, other right order, other pairs, other
explanations and feedback). Everything a participant can reach about the open
attempt is collected under each: the attempt page, the autosave JSON answer, the
"Lagre" round trip, the quiz's history, the module page, *Min side* and *Mine
data*. The outputs are the same, so no answer derived from them can beat chance.
Before the fix, *Mine data* carried the snapshot (``correct``, ``answer``,
``pairs``, the shuffle orders) and this test failed.
"""

import json
import re

from modules.core.extensions import db
from modules.quizzes.models import QuizAttempt

from .test_views import QUIZ_URL, start

#: field names of the stored snapshot that carry (part of) the key
KEY_FIELDS = {"correct", "answer", "pairs", "choice_order", "item_order", "left_order",
              "right_order", "explanation", "feedback", "results", "correct_answer",
              "submission_token"}


def snapshot(variant: int) -> list[dict]:
    """One question per type; ``variant`` 0 and 1 show the same, with other keys."""
    shown_items = ["Definere", "Utforske", "Levere", "Utvikle"]
    shown_right = ["forbedring", "beslutninger", "daglig drift"]
    lefts = ["medprodusent", "medutvikler", "medvirker"]
    if variant == 0:
        items, item_order = ["Utforske", "Definere", "Utvikle", "Levere"], [1, 0, 3, 2]
        rights = ["daglig drift", "forbedring", "beslutninger"]
    else:
        items, item_order = list(shown_items), [0, 1, 2, 3]
        rights = ["beslutninger", "daglig drift", "forbedring"]
    right_order = [rights.index(text) for text in shown_right]
    return [
        {"id": "enkel", "type": "single", "text": "Hvilken rolle?",
         "choices": ["Medprodusent", "Medutvikler", "Medvirker"], "choice_order": [2, 0, 1],
         "correct": [variant], "explanation": f"Forklaring {variant}-enkel",
         "feedback": [f"Tilbakemelding {variant}-{i}" for i in range(3)]},
        {"id": "flere", "type": "multiple", "text": "Hva trengs?",
         "choices": ["Ledere", "Lokal tilpasning", "Hemmelighold", "Kjøreregler"],
         "choice_order": [3, 1, 0, 2], "correct": [0, 1, 3] if variant == 0 else [2],
         "explanation": f"Forklaring {variant}-flere"},
        {"id": "santusant", "type": "truefalse", "text": "Kan innbyggere være medutviklere?",
         "answer": variant == 0, "explanation": f"Forklaring {variant}-sant"},
        {"id": "rekke", "type": "order", "text": "Sett fasene i rekkefølge",
         "items": items, "item_order": item_order, "explanation": ""},
        {"id": "koble", "type": "match", "text": "Koble rollen",
         "pairs": [list(pair) for pair in zip(lefts, rights, strict=True)],
         "left_order": [1, 2, 0], "right_order": right_order,
         "explanation": f"Forklaring {variant}-koble"},
    ]


def test_the_two_variants_show_the_same_but_have_different_keys():
    from modules.quizzes import grading

    first, second = snapshot(0), snapshot(1)
    assert [grading.shown(q) for q in first] == [grading.shown(q) for q in second]
    answers = {"enkel": 1, "flere": [0, 1, 2], "santusant": True, "rekke": [2, 1, 4, 3],
               "koble": [0, 1, 2]}
    assert grading.grade(first, answers)[2] == [True] * 5
    assert grading.grade(second, answers)[2] == [False] * 5


def _normalise(text: str) -> str:
    text = re.sub(r"\d{4}-\d\d-\d\dT[\d:.]+", "<time>", text)
    text = re.sub(r"\d{1,2}\. \w+ \d{4} kl\. \d\d:\d\d", "<time>", text)
    text = re.sub(r'name="csrf_token"[^>]*value="[^"]*"', "<csrf>", text)
    # the seconds left of the session tick on between the two rounds
    text = re.sub(r'(name="session-timeout" content=")\d+"', r"\1<left>", text)
    return re.sub(r'(name="token"[^>]*value=")[^"]*"', r"\1<token>", text)


def _outputs(client, attempt_id: int) -> dict[str, str]:
    """Everything the participant can reach about the open attempt."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    form = {"revision": str(attempt.revision), "token": attempt.submission_token,
            "q:enkel": "1", "q:santusant": "true", "q:rekke:0": "2"}
    autosave = client.post(f"/quiz/attempts/{attempt_id}/save", data=form)
    saved = client.post(f"/quiz/attempts/{attempt_id}",
                        data={**form, "revision": "1", "action": "save", "q:flere": ["1", "3"]},
                        follow_redirects=True)
    assert saved.status_code == 200
    mine = json.loads(client.get("/min-side/data").get_data(as_text=True))
    return {
        "attempt page": client.get(f"/quiz/attempts/{attempt_id}").get_data(as_text=True),
        "autosave json": autosave.get_data(as_text=True),
        "save and reload": saved.get_data(as_text=True),
        "history page": client.get(QUIZ_URL).get_data(as_text=True),
        "module page": client.get("/courses/alletyper/m/quiz").get_data(as_text=True),
        "min side": client.get("/min-side").get_data(as_text=True),
        "mine data, attempts": json.dumps(mine["quiz_attempts"], ensure_ascii=False,
                                          sort_keys=True),
        "mine data, whole": json.dumps(mine, ensure_ascii=False),
    }


def _key_fields(value) -> set[str]:
    if isinstance(value, dict):
        return {k for k in value if k in KEY_FIELDS} | set().union(
            *(_key_fields(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_key_fields(v) for v in value))
    return set()


def _collect(client, participant, attempt_id: int, variant: int) -> dict[str, str]:
    db.session.execute(db.update(QuizAttempt).where(QuizAttempt.id == attempt_id).values(
        questions=snapshot(variant), answers={}, revision=0, saved_at=None))
    db.session.commit()
    db.session.expire_all()
    return _outputs(client, attempt_id)


def test_no_output_of_an_open_attempt_depends_on_its_key(client, participant):
    attempt_id = start(client).id
    first = _collect(client, participant, attempt_id, 0)
    second = _collect(client, participant, attempt_id, 1)
    for name in first:
        if name == "mine data, whole":
            continue  # holds the audit log and the outbox, which grow between the rounds
        assert _normalise(first[name]) == _normalise(second[name]), name
    for outputs in (first, second):
        mine = json.loads(outputs["mine data, whole"])
        assert _key_fields(mine) == set(), _key_fields(mine)
        for name, text in outputs.items():
            for secret in ("Forklaring 0", "Forklaring 1", "Tilbakemelding 0",
                           "Tilbakemelding 1"):
                assert secret not in text, (name, secret)
    # the participant's own saved answers are there, in shown terms
    [exported] = json.loads(second["mine data, attempts"])
    assert exported["status"] == "open"
    assert [q["given"] for q in exported["questions"]] == [1, [1, 3], True,
                                                           [2, None, None, None], None]
    assert exported["questions"][3]["items"] == ["Definere", "Utforske", "Levere", "Utvikle"]
