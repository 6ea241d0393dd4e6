"""Fill the item-analysis rows of a demo data set in bulk on SQLite:
`python -m bench.fill_items PATH.db`. The same rows ``reports.items.record_attempt``
writes per graded attempt (one per shown question, one per offered choice), computed
with SQLite's JSON functions in two INSERT … SELECT statements, because writing them
attempt by attempt (`flask reports rebuild-items`) takes well over half an hour for
500,000 attempts on a shared machine. For benchmarks only; attempts after the last one
with rows are filled. ``--check N`` compares N attempts' rows with record_attempt's."""

import argparse
import sqlite3
import time

# Response ids are attempt id * 100 + the question's place, so the choices need no
# look-up of the responses: both statements walk each attempt's questions once.
ATTEMPT_QUESTIONS = """
FROM quiz_attempts a, json_each(a.questions) q
WHERE a.status = 'submitted' AND a.results IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM report_item_responses d WHERE d.attempt_id = a.id)
"""

RESPONSES = """
INSERT INTO report_item_responses (id, attempt_id, course_id, learning_module_id,
    question_id, question_type, question_text, content_hash, correct, attempt_score,
    submitted_at)
SELECT a.id * 100 + q.key, a.id, a.course_id, a.learning_module_id,
       json_extract(q.value, '$.id'), json_extract(q.value, '$.type'),
       substr(json_extract(q.value, '$.text'), 1, 1000), a.content_hash,
       CASE WHEN json_extract(a.results, '$[' || q.key || ']') THEN 1 ELSE 0 END,
       coalesce(a.share, 0), a.submitted_at
""" + ATTEMPT_QUESTIONS

CHOICES = """
INSERT INTO report_item_choices (response_id, learning_module_id, question_id, choice_index,
    choice_text, is_correct, picked)
SELECT a.id * 100 + q.key, a.learning_module_id, json_extract(q.value, '$.id'), c.key,
       substr(c.value, 1, 500),
       EXISTS (SELECT 1 FROM json_each(q.value, '$.correct') k WHERE k.value = c.key),
       CASE json_extract(q.value, '$.type')
         WHEN 'single' THEN coalesce(json_extract(q.value, '$.choice_order[' ||
             json_extract(a.answers, '$."' || json_extract(q.value, '$.id') || '"')
             || ']') = c.key, 0)
         ELSE EXISTS (SELECT 1 FROM json_each(a.answers,
                                              '$."' || json_extract(q.value, '$.id') || '"') s
                      WHERE json_extract(q.value, '$.choice_order[' || s.value || ']')
                            = c.key) END
FROM quiz_attempts a, json_each(a.questions) q, json_each(q.value, '$.choices') c
WHERE a.status = 'submitted' AND a.results IS NOT NULL
  AND json_extract(q.value, '$.type') IN ('single', 'multiple') AND a.id > :after
UNION ALL
SELECT a.id * 100 + q.key, a.learning_module_id, json_extract(q.value, '$.id'), t.ix,
       t.label, json_extract(q.value, '$.answer') = (t.ix = 0),
       coalesce(json_extract(a.answers, '$."' || json_extract(q.value, '$.id') || '"')
                = (t.ix = 0), 0)
FROM quiz_attempts a, json_each(a.questions) q,
     (SELECT 0 AS ix, 'Sant' AS label UNION ALL SELECT 1, 'Usant') t
WHERE a.status = 'submitted' AND a.results IS NOT NULL
  AND json_extract(q.value, '$.type') = 'truefalse' AND a.id > :after
"""


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fill_items")
    parser.add_argument("path")
    parser.add_argument("--check", type=int, default=0)
    args = parser.parse_args()
    if args.check:
        check(args.path, args.check)
        return
    conn = sqlite3.connect(args.path, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 60000")
    conn.execute("BEGIN IMMEDIATE")
    after = conn.execute("SELECT coalesce(max(attempt_id), 0) FROM report_item_responses"
                         ).fetchone()[0]
    for name, sql, params in (("responses", RESPONSES, {}), ("choices", CHOICES,
                                                           {"after": after})):
        started = time.monotonic()
        count = conn.execute(sql, params).rowcount
        print(f"{name}: {count} rows in {time.monotonic() - started:.1f} s", flush=True)
    conn.execute("COMMIT")


def check(path: str, count: int) -> None:
    """Compare the rows of ``count`` attempts with what record_attempt writes."""
    import os

    os.environ.setdefault("DATABASE_URL", f"sqlite:///{path}")
    from app import create_app
    from modules.core.extensions import db
    from modules.quizzes.models import QuizAttempt
    from modules.reports import items
    from modules.reports.models import ItemChoice, ItemResponse

    app = create_app()
    with app.app_context():
        attempts = db.session.scalars(
            db.select(QuizAttempt).where(QuizAttempt.id.in_(
                db.select(ItemResponse.attempt_id).distinct()
                .order_by(ItemResponse.attempt_id.desc()).limit(count)))).all()

        def rows(ids):
            responses = db.session.execute(
                db.select(ItemResponse.attempt_id, ItemResponse.question_id,
                          ItemResponse.question_type, ItemResponse.question_text,
                          ItemResponse.correct, ItemResponse.attempt_score)
                .where(ItemResponse.attempt_id.in_(ids))).all()
            choices = db.session.execute(
                db.select(ItemResponse.attempt_id, ItemChoice.question_id,
                          ItemChoice.choice_index, ItemChoice.choice_text,
                          ItemChoice.is_correct, ItemChoice.picked)
                .join(ItemResponse, ItemResponse.id == ItemChoice.response_id)
                .where(ItemResponse.attempt_id.in_(ids))).all()
            return sorted(map(tuple, responses)), sorted(map(tuple, choices))

        ids = [a.id for a in attempts]
        bulk = rows(ids)
        db.session.execute(db.delete(ItemResponse).where(ItemResponse.attempt_id.in_(ids)))
        for attempt in attempts:
            items.record_attempt(attempt, known_new=True, summarise=False)
        recorded = rows(ids)
        db.session.rollback()
        print(f"{len(ids)} attempts, {len(bulk[0])} responses, {len(bulk[1])} choices: "
              + ("same as record_attempt" if bulk == recorded else "DIFFERENT"))
        if bulk != recorded:
            print(set(bulk[0]) ^ set(recorded[0]))
            print(sorted(set(bulk[1]) ^ set(recorded[1]))[:10])


if __name__ == "__main__":
    main()
