"""Demo data for the item analysis: graded attempts on a crafted bad question (strong
participants get it wrong, weak ones right; one distractor nobody picks), next to two
sound questions, so /reports/items shows the flags. Synthetic users only."""

import secrets
from datetime import timedelta

from sqlalchemy import func

from modules.accounts.models import Unit, User
from modules.catalog.models import LearningModule
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.quizzes.models import SUBMITTED, QuizAttempt

from . import items

DEMO_DOMAIN = "sporsmal.demo.innbyggerstemmen.example"


class DemoError(Exception):
    pass


def crafted_questions() -> list[dict]:
    def single(qid: str, text: str, choices: list[str]) -> dict:
        return {"id": qid, "type": "single", "text": text, "choices": choices,
                "correct": [0], "choice_order": list(range(len(choices)))}

    return [
        single("demo-god-1", "Hvem bør involveres tidlig i et lokalt tiltak?",
               ["De som berøres", "Bare ledelsen", "Ingen"]),
        single("demo-god-2", "Hva er en medprodusent?",
               ["En innbygger som lager løsningen sammen med politiet", "En journalist",
                "En leverandør"]),
        single("demo-darlig", "Hva kalles modellen for involvering? (laget dårlig spørsmål)",
               ["Deltakertrappen", "Innbyggerstigen", "Dobbeltdiamanten",
                "Et alternativ ingen velger"]),
    ]


def _answers_for(strength: float, index: int) -> list[int]:
    """Shown index chosen per crafted question for a participant of this strength."""
    good_1 = 0 if strength > 0.2 else 1
    good_2 = 0 if strength > 0.5 else 2
    bad = 0 if strength < 0.5 else (1 + index % 2)  # strong ones pick 1 or 2, never 3
    return [good_1, good_2, bad]


def generate_bad_question(count: int) -> LearningModule:
    """``count`` graded attempts on the crafted questions, in the first quiz module."""
    module = db.session.scalar(db.select(LearningModule)
                               .where(LearningModule.quiz.is_not(None))
                               .order_by(LearningModule.id).limit(1))
    unit_id = db.session.scalar(db.select(Unit.id).order_by(Unit.position).limit(1))
    if module is None or unit_id is None:
        raise DemoError("Fant ingen læringsmodul med quiz eller ingen enhet; synk kursene først.")
    questions = crafted_questions()
    now = utcnow()
    for index in range(count):
        email = f"deltaker{index + 1}@{DEMO_DOMAIN}"
        user = db.session.scalar(db.select(User).where(User.email == email))
        if user is None:
            user = User(email=email, name=f"Spørsmålsdemo {index + 1}", unit_id=unit_id,
                        role="participant")
            db.session.add(user)
            db.session.flush()
        number = (db.session.scalar(db.select(func.max(QuizAttempt.number)).where(
            QuizAttempt.user_id == user.id,
            QuizAttempt.learning_module_id == module.id)) or 0) + 1
        chosen = _answers_for(index / max(count - 1, 1), index)
        results = [question["correct"][0] == answer
                   for question, answer in zip(questions, chosen, strict=True)]
        score = sum(results)
        attempt = QuizAttempt(
            user_id=user.id, learning_module_id=module.id, course_id=module.course_id,
            number=number, status=SUBMITTED, content_hash="demo-" + module.content_hash[:20],
            pass_percent=50, questions=questions,
            answers={q["id"]: a for q, a in zip(questions, chosen, strict=True)},
            submission_token=secrets.token_urlsafe(24), started_at=now - timedelta(minutes=5),
            submitted_at=now, score=score, asked=len(questions),
            share=score / len(questions), passed=score * 2 >= len(questions),
            results=results)
        db.session.add(attempt)
        db.session.flush()
        items.record_attempt(attempt)
    return module


def on_showcase_generated(_sender, **_extra) -> None:
    """After `flask demo showcase`: fill the item analysis from the bulk-inserted
    attempts and add the crafted bad question, so the analysis shows its flags."""
    from . import items

    items.rebuild()
    generate_bad_question(40)
