"""The run's sessions as an iCalendar file (RFC 5545, via the ``icalendar`` library):
one event per session in Europe/Oslo time, with place, trainer and a link."""

from datetime import UTC, datetime

from icalendar import Calendar, Event

from modules.core.database import utcnow
from modules.core.i18n import _

from .status import OSLO

ICS_TYPE = "text/calendar"


def ics_file_name(run) -> str:
    return f"kursgjennomforing-{run.id}.ics"


def where_of(run) -> str:
    if run.digital:
        return _("Digitalt") + (f" ({run.place})" if run.place else "")
    return run.place


def run_ics(run, sessions, *, course_title: str, trainer_name: str, link: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Politiet//Innbyggerstemmen kursplattform//NB")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", run.title)
    stamp = utcnow().replace(tzinfo=UTC)
    for number, session in enumerate(sessions, start=1):
        event = Event()
        event.add("uid", f"run-{run.id}-session-{session.id}@innbyggerstemmen")
        event.add("dtstamp", stamp)
        event.add("dtstart", datetime.combine(session.date, session.start_time, tzinfo=OSLO))
        event.add("dtend", datetime.combine(session.date, session.end_time, tzinfo=OSLO))
        event.add("summary", _("%(title)s, samling %(n)d", title=run.title, n=number))
        if where_of(run):
            event.add("location", where_of(run))
        description = [_("Kurs: %(title)s", title=course_title),
                       _("Kursholder: %(name)s", name=trainer_name)]
        if link:
            description.append(link)
            event.add("url", link)
        event.add("description", "\n".join(description))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
