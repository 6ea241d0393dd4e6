"""Outgoing mail, written to files: instance/outbox/<timestamp>.eml (OUTBOX_DIR).

A tiny stand-in until an outbox feature delivers through SMTP; an operator or
a mail relay can pick the files up. One message per file, RFC 5322.
"""

from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app

from modules.core.database import utcnow


def outbox_dir() -> Path:
    configured = current_app.config.get("OUTBOX_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "outbox"


def send_mail(to: str, subject: str, body: str) -> Path:
    message = EmailMessage()
    message["From"] = current_app.config.get("MAIL_FROM", "ikke-svar@innbyggerstemmen.local")
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid()
    message.set_content(body)
    folder = outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}.eml"
    n = 1
    while path.exists():
        path = folder / f"{stamp}-{n}.eml"
        n += 1
    path.write_bytes(bytes(message))
    return path
