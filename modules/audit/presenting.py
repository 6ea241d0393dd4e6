"""The audit log as people read it: Norwegian action names, people and courses by name
instead of "user 3" and slugs, and details as labelled lines instead of raw JSON.
Stored events stay as they are (codes and ids); names are looked up when shown, so an
anonymised person shows as anonymised."""

import re
from dataclasses import dataclass

from modules.core.extensions import db
from modules.core.i18n import N_, _

ACTION_LABELS = {
    "certification.grant": N_("Kursbevis tildelt av administrator"),
    "certification.issued": N_("Kursbevis utstedt"),
    "certification.registry_exported": N_("Kursbevisregisteret eksportert"),
    "certification.revoke": N_("Kursbevis tilbakekalt"),
    "certification.sign_off": N_("Kursholder godkjent"),
    "certification.start_renewal": N_("Fornyelse startet"),
    "course_run.created": N_("Kursgjennomføring opprettet"),
    "course_run.exported": N_("Deltakeroversikt eksportert"),
    "course_run.invitation_created": N_("Invitasjon opprettet"),
    "course_run.lti_context_set": N_("Kursgjennomføring koblet til læringsplattform"),
    "courses.synced": N_("Kurspakker synkronisert"),
    "login.local_refused": N_("Lokal innlogging avvist"),
    "lti.launch": N_("Åpnet fra læringsplattform"),
    "lti.platform_created": N_("Læringsplattform registrert"),
    "lti.roster_synced": N_("Deltakerliste hentet fra læringsplattform"),
    "lti.run_roster_synced": N_("Deltakerliste for kursgjennomføring hentet"),
    "reports.api_token_created": N_("API-nøkkel opprettet"),
    "reports.api_token_revoked": N_("API-nøkkel trukket tilbake"),
    "reports.exported": N_("Rapport eksportert"),
    "sso.account_created": N_("Konto opprettet ved enkel pålogging"),
    "sso.linked": N_("Konto koblet til enkel pålogging"),
    "sso.refused": N_("Enkel pålogging avvist"),
    "sso.signed_in": N_("Logget inn med enkel pålogging"),
    "user.anonymised": N_("Bruker anonymisert"),
    "user.created": N_("Bruker opprettet"),
    "user.imported": N_("Brukere importert"),
    "user.password_reset": N_("Passord tilbakestilt"),
    "user.reset_token_created": N_("Lenke for nytt passord laget"),
    "user.updated": N_("Bruker endret"),
}

DETAIL_LABELS = {
    "active": N_("Aktiv"), "by": N_("Utført av"), "certificate_id": N_("Kursbevis-id"),
    "context_id": N_("Kontekst-id"), "course": N_("Kurs"), "detail": N_("Detalj"),
    "emails": N_("E-post"), "failed": N_("Med feil"), "filter": N_("Filter"),
    "filters": N_("Filtre"), "format": N_("Format"), "loaded": N_("Lastet"),
    "local_login": N_("Lokal innlogging"), "problems": N_("Problemer"),
    "provider": N_("Leverandør"), "reason": N_("Begrunnelse"), "role": N_("Rolle"),
    "rows": N_("Rader"), "run_id": N_("Kursgjennomføring-id"),
    "runs_left": N_("Fjernet fra kursgjennomføringer"),
    "subject": N_("Identitet hos leverandør"), "unit": N_("Enhet"), "user_id": N_("Person"),
}

VALUE_LABELS = {True: N_("ja"), False: N_("nei"), "admin": N_("administrator"),
                "retention": N_("sletterutinen"), "participant": N_("deltaker"),
                "trainer": N_("kursholder"), "leader": N_("leder")}

_USER_REF = re.compile(r"\buser (\d+)\b")
_SLUG_PREFIX = re.compile(r"^([a-z0-9][a-z0-9-]*)( via ([a-z0-9][a-z0-9-]*))?:")


@dataclass
class EventLine:
    event: object
    label: str
    summary: str
    details: list[tuple[str, str]]


def action_label(action: str) -> str:
    return _(ACTION_LABELS[action]) if action in ACTION_LABELS else action


def present(events) -> list[EventLine]:
    """Lines for the page: two statements for the names, whatever the number of events."""
    from modules.accounts.models import User
    from modules.catalog.models import Course

    user_ids, slugs = set(), set()
    for event in events:
        user_ids.update(int(n) for n in _USER_REF.findall(event.summary or ""))
        if isinstance((event.details or {}).get("user_id"), int):
            user_ids.add(event.details["user_id"])
        match = _SLUG_PREFIX.match(event.summary or "")
        if match:
            slugs.update(s for s in (match.group(1), match.group(3)) if s)
        if isinstance((event.details or {}).get("course"), str):
            slugs.add(event.details["course"])
    names = dict(db.session.execute(
        db.select(User.id, User.name).where(User.id.in_(user_ids))).all()) if user_ids else {}
    titles = dict(db.session.execute(
        db.select(Course.slug, Course.title).where(Course.slug.in_(slugs))).all()) if slugs else {}

    def person(user_id: int) -> str:
        return names.get(user_id) or _("bruker %(id)d", id=user_id)

    def summary_of(text: str) -> str:
        text = _USER_REF.sub(lambda m: person(int(m.group(1))), text or "")
        match = _SLUG_PREFIX.match(text)
        if match and match.group(1) in titles:
            head = titles[match.group(1)]
            if match.group(3):
                head += " " + _("via %(course)s", course=titles.get(match.group(3), match.group(3)))
            text = head + ":" + text[match.end():]
        return text

    def value_of(key: str, value) -> str:
        if key == "user_id" and isinstance(value, int):
            return person(value)
        if key == "course" and isinstance(value, str):
            return titles.get(value, value)
        if isinstance(value, list):
            return " → ".join(value_of(key, v) for v in value) if len(value) == 2 and key in (
                "role", "unit", "active") else ", ".join(value_of(key, v) for v in value)
        if isinstance(value, dict):
            return ", ".join(f"{k}: {value_of(k, v)}" for k, v in value.items())
        if isinstance(value, bool) or (isinstance(value, str) and value in VALUE_LABELS):
            return _(VALUE_LABELS[value])
        return str(value)

    lines = []
    for event in events:
        details = [(_(DETAIL_LABELS.get(key, key)), value_of(key, value))
                   for key, value in (event.details or {}).items()]
        lines.append(EventLine(event=event, label=action_label(event.action),
                               summary=summary_of(event.summary), details=details))
    return lines
