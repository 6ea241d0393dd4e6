"""Mails to participants and trainers of a run: enrolment (with the sessions and an
iCalendar file), invitation, a place from the waiting list, and a practice task
waiting for review. Links are absolute, from the configured base URL."""

from modules.core.extensions import db
from modules.core.i18n import _, in_language_of, mail_in_language_of
from modules.outbox.services import queue_message

from . import calendar, services
from .models import ENROLLED, CourseRun


def link(endpoint: str, **values) -> str:
    from modules.core.urls import external_url

    try:
        return external_url(endpoint, **values)
    except RuntimeError:  # neither a base URL nor a request: leave the link out
        return ""


def _trainer_name(run: CourseRun) -> str:
    from modules.accounts.models import User

    return db.session.get(User, run.lead_trainer_id).name


def sessions_text(run: CourseRun, sessions) -> str:
    """The sessions, place and trainer as plain lines for a mail."""
    lines = [_("Samlinger:")]
    for session in sessions:
        lines.append(f"- {session.date:%d.%m.%Y} {_('kl.')} {session.start_time:%H:%M}–"
                     f"{session.end_time:%H:%M}")
    if not sessions:
        lines = [_("Tidspunktene for samlingene er ikke satt ennå; du får se dem på Min side.")]
    lines += [_("Sted: %(where)s", where=calendar.where_of(run) or "–"),
              _("Kursholder: %(name)s", name=_trainer_name(run))]
    return "\n".join(lines)


def ics_attachment(run: CourseRun, sessions) -> tuple[str, str, bytes] | None:
    if not sessions:
        return None
    course = services.course_of(run)
    data = calendar.run_ics(run, sessions, course_title=course.title,
                            trainer_name=_trainer_name(run),
                            link=link("course_runs.join_with_code", code=run.join_code))
    return calendar.ics_file_name(run), calendar.ICS_TYPE, data


def _place_text(user, run: CourseRun, status: str) -> tuple[str, tuple | None]:
    """What the mail says about the place, and the attachment if enrolled."""
    if status != ENROLLED:
        return _("%(title)s er full, så du står på ventelisten. Du får e-post når du får "
                 "plass.", title=run.title), None
    sessions = services.list_sessions(run)
    text = _("Du er meldt på %(title)s.", title=run.title) + "\n\n" + sessions_text(run, sessions)
    attachment = ics_attachment(run, sessions)
    if attachment:
        text += "\n\n" + _("Samlingene ligger i kalenderfilen (.ics) i denne e-posten.")
    return text, attachment


@mail_in_language_of(lambda user, *_a, **_k: user)
def notify_enrolled(user, run: CourseRun, status: str) -> None:
    text, attachment = _place_text(user, run, status)
    url = link("course_runs.join_with_code", code=run.join_code)
    body = _("Hei %(name)s!", name=user.name) + "\n\n" + text + "\n"
    if url:
        body += "\n" + _("Se kursgjennomføringen: %(url)s", url=url) + "\n"
    queue_message(user.email, _("Påmelding: %(title)s", title=run.title), body,
                  attachment=attachment)


@mail_in_language_of(lambda user, *_a, **_k: user)
def send_invitation(user, run: CourseRun, status: str, token: str) -> None:
    text, attachment = _place_text(user, run, status)
    body = (_("Hei!") + "\n\n" + _("Du har fått en konto på kursplattformen Innbyggerstemmen.")
            + " " + text + "\n\n"
            + _("Velg et passord for å ta i bruk kontoen din (lenken virker én gang og "
                "utløper om 14 dager):") + "\n\n"
            + link("course_runs.accept_invitation", token=token) + "\n")
    queue_message(user.email, _("Invitasjon til %(title)s", title=run.title), body,
                  attachment=attachment)


@mail_in_language_of(lambda user, *_a, **_k: user)
def send_join_invitation(user, run: CourseRun, actor) -> None:
    """Ask an existing user from another unit to join: nothing happens until they accept."""
    body = _("Hei %(name)s!\n\n%(trainer)s inviterer deg til %(title)s på kursplattformen "
             "Innbyggerstemmen. Du blir ikke meldt på før du selv takker ja: logg inn og "
             "velg «Bli med» på denne siden:\n\n%(link)s\n\nVil du ikke delta, kan du se "
             "bort fra denne e-posten.\n", name=user.name, trainer=actor.name,
             title=run.title, link=link("course_runs.join_with_code", code=run.join_code))
    queue_message(user.email, _("Invitasjon til %(title)s", title=run.title), body)


@mail_in_language_of(lambda user, *_a, **_k: user)
def notify_moved_up(user, run: CourseRun) -> None:
    sessions = services.list_sessions(run)
    body = (_("Hei %(name)s!", name=user.name) + "\n\n"
            + _("Du har fått plass på %(title)s fra ventelisten.", title=run.title) + "\n\n"
            + sessions_text(run, sessions) + "\n")
    queue_message(user.email, _("Du har fått plass: %(title)s", title=run.title), body,
                  attachment=ics_attachment(run, sessions))


def run_trainers(run: CourseRun) -> list:
    from modules.accounts.models import User

    from .models import RunTrainer

    co = db.select(RunTrainer.user_id).where(RunTrainer.run_id == run.id)
    return list(db.session.scalars(db.select(User).where(
        (User.id == run.lead_trainer_id) | User.id.in_(co), User.active.is_(True))
        .order_by(User.name)))


def practice_reviewers(user_id: int, module_id: int) -> list:
    """Who reviews the user's task in this module: the trainers of the user's run of a
    course that places the module; in self-study (no run) the qualified trainers of the
    user's own unit (an active trainer certificate), never the user."""
    from modules.accounts.models import TRAINER, User
    from modules.catalog.models import CourseModule

    for course_id in db.session.scalars(db.select(CourseModule.course_id).where(
            CourseModule.learning_module_id == module_id)):
        run = services.find_user_run(user_id, course_id)
        if run is not None:
            return run_trainers(run)
    user = db.session.get(User, user_id)
    candidates = db.session.scalars(db.select(User).where(
        User.unit_id == user.unit_id, User.role == TRAINER, User.active.is_(True),
        User.id != user_id).order_by(User.name))
    return [trainer for trainer in candidates if services.can_create_runs(trainer)]


def notify_practice_waiting(submission, module, reviewers) -> None:
    """Tell each reviewer that a practice task waits for them."""
    from modules.accounts.models import User

    user = db.session.get(User, submission.user_id)
    url = link("course_runs.review_practice", submission_id=submission.id)
    for reviewer in reviewers:
        with in_language_of(reviewer):
            _queue_practice_waiting(reviewer, user, module, url)


def _queue_practice_waiting(reviewer, user, module, url) -> None:
    queue_message(reviewer.email,
                  _("Praksisoppgave venter på vurdering: %(title)s", title=module.title),
                  _("Hei %(name)s!\n\n%(who)s har levert praksisoppgaven i «%(title)s», og "
                    "den venter på vurderingen din:\n\n%(url)s\n", name=reviewer.name,
                    who=user.name, title=module.title, url=url))
