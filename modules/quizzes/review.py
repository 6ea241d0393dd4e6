"""What the result page shows for each question: the answer given, the right
answer, per-choice feedback and the explanation. Built only for submitted attempts."""

from . import grading


def review_question(question: dict, answer, right: bool) -> dict:
    view = grading.shown(question)
    view.update(right=right, explanation=question.get("explanation", ""))
    qtype = question["type"]
    if qtype in ("single", "multiple"):
        picked = set([answer] if qtype == "single" else answer or [])
        feedback = question.get("feedback") or []
        view["rows"] = [{
            "text": question["choices"][original],
            "picked": shown_index in picked,
            "correct": original in question["correct"],
            "feedback": feedback[original] if original < len(feedback) else "",
        } for shown_index, original in enumerate(question["choice_order"])]
    elif qtype == "truefalse":
        view["given"] = answer
        view["correct_answer"] = question["answer"]
    elif qtype == "order":
        answer = answer or [None] * len(question["items"])
        view["rows"] = [{"text": question["items"][original], "given": answer[shown_index],
                         "correct": original + 1}
                        for shown_index, original in enumerate(question["item_order"])]
    elif qtype == "match":
        answer = answer or [None] * len(question["pairs"])
        pairs = question["pairs"]
        rows = []
        for shown_index, original in enumerate(question["left_order"]):
            given = answer[shown_index]
            rows.append({"left": pairs[original][0], "correct": pairs[original][1],
                         "given": None if given is None
                         else pairs[question["right_order"][given]][1]})
        view["rows"] = rows
    return view


def review_attempt(attempt) -> list[dict]:
    results = attempt.results or []
    return [review_question(q, attempt.answers.get(q["id"]),
                            results[i] if i < len(results) else False)
            for i, q in enumerate(attempt.questions)]
