"""The outside audit's ten deliberate bugs (issue 21), applied one at a time.

Each bug is written into its rule module, the test named after the rule runs, and the
file is put back. Every test must fail; the script prints CAUGHT or MISSED per bug and
exits 1 if any was missed. Run from the project's root (not part of ``make test``)::

    .venv/bin/python -m tests.mutation.audit_bugs
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: (the bug, the file, the code, the code with the bug, the test that must fail)
BUGS = [
    ("multiple choice: some of the right answers earn the point",
     "modules/quizzes/grading.py",
     'return picked == set(question["correct"])',
     'return bool(picked) and picked <= set(question["correct"])',
     "tests/quizzes/test_grading.py"
     "::test_multiple_choice_earns_the_point_only_for_exactly_the_right_set"),
    ("certificate valid for valid_months - 1",
     "modules/certification/services.py",
     'months = config.get("valid_months") or 0',
     'months = (config.get("valid_months") or 0) - 1',
     "tests/certification/test_expiry_rules.py"),
    ("prerequisites: being enrolled counts, not having completed",
     "modules/learning/services.py",
     "db.select(Course, Enrolment.completed_at)",
     "db.select(Course, Enrolment.id)",
     "tests/learning/test_services.py"
     "::test_prerequisite_enrolled_but_not_completed_still_blocks"),
    ("is_trainer_of ignores deactivated users",
     "modules/course_runs/services.py",
     "if user.role != TRAINER or not user.active:\n        return False\n    if run.lead",
     "if user.role != TRAINER:\n        return False\n    if run.lead",
     "tests/course_runs/test_trainer_access_rules.py"),
    ("login throttle: default per-account limit 5 -> 1000",
     "modules/accounts/throttle.py",
     'setdefault("LOGIN_FREE_FAILURES_PER_ACCOUNT", 5)',
     'setdefault("LOGIN_FREE_FAILURES_PER_ACCOUNT", 1000)',
     "tests/security/test_throttle_defaults.py"
     "::test_login_throttle_default_five_free_failures_per_account_then_30_seconds"),
    ("login throttle: the account key as typed, not lower-cased",
     "modules/accounts/throttle.py",
     '    return unicodedata.normalize("NFKC", text).casefold()[:254]',
     "    return (email or '').strip()[:254]",
     "tests/security/test_trust_round_two.py::test_throttle_keys_on_the_normalised_address"),
    ("matrix: attendance divided by session_count + 1",
     "modules/course_runs/queries.py",
     "/ session_count if session_count",
     "/ (session_count + 1) if session_count",
     "tests/course_runs/test_matrix_attendance.py"),
    ("LTI score on 100, not the line item's scoreMaximum",
     "modules/lti/grades.py",
     "return round(score_share * score_maximum, 4)",
     "return round(score_share * 100, 4)",
     "tests/lti/test_grades.py"
     "::test_quiz_score_reaching_the_platform_respects_the_line_items_score_maximum"),
    ("anonymisation keeps the trainer's comment on the practice task",
     "modules/privacy/services.py",
     'file_type=None, file_data=None, comment=""))',
     "file_type=None, file_data=None))",
     "tests/privacy/test_retention_rules.py"
     "::test_anonymising_removes_the_trainers_comment_on_practice"),
    ("retention purge starts a year early",
     "modules/privacy/services.py",
     "cutoff = now.replace(year=now.year - years)\n",
     "cutoff = now.replace(year=now.year - years + 1)\n",
     "tests/privacy/test_retention_rules.py"),
]


def main() -> int:
    missed = 0
    for bug, path, code, buggy, test in BUGS:
        file = ROOT / path
        source = file.read_text()
        if source.count(code) != 1:
            print(f"CHANGED  {bug}: {path} no longer holds the code once; update this list")
            missed += 1
            continue
        file.write_text(source.replace(code, buggy))
        try:
            result = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                 "-n", "0", test], cwd=ROOT, capture_output=True, text=True)
        finally:
            file.write_text(source)
        caught = result.returncode == 1  # 1: a test failed; 2 and up: it never ran
        missed += not caught
        print(f"{'CAUGHT' if caught else 'MISSED'}  {bug}  ({test.rsplit('::', 1)[-1]})")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
