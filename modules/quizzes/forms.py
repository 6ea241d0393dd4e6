"""The attempt form. The answer fields themselves depend on the attempt's
snapshot and are read by grading.parse_answers, which refuses any field the
attempt does not have; this form carries CSRF, the revision and the token."""

from wtforms import HiddenField

from modules.core.forms import BaseForm


class AttemptForm(BaseForm):
    revision = HiddenField()
    token = HiddenField()

    def revision_number(self) -> int | None:
        value = (self.revision.data or "").strip()
        return int(value) if value.isdigit() and len(value) < 10 else None
