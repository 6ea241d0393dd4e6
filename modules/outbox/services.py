"""Queue and send email. ``queue_message`` never sends: it stores the message
(and in development writes an .eml copy); ``send_pending`` sends what is due."""

import re
import smtplib
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, has_app_context

from modules.core.database import utcnow
from modules.core.extensions import db

from .models import PENDING, SENT, OutboxMessage

MAX_BACKOFF = timedelta(hours=12)


def _sender() -> str:
    if has_app_context():
        return current_app.config.get("MAIL_DEFAULT_SENDER", "ikke-svar@innbyggerstemmen.no")
    return "ikke-svar@innbyggerstemmen.no"


def build_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = _sender()
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = f"<outbox-{message.id}@innbyggerstemmen>"
    email.set_content(message.body)
    if message.attachment_data:
        maintype, _slash, subtype = (message.attachment_type or "application/octet-stream"
                                     ).partition("/")
        email.add_attachment(message.attachment_data, maintype=maintype, subtype=subtype,
                             filename=message.attachment_name or "vedlegg")
    return email


def _outbox_folder() -> Path | None:
    """Where .eml copies go: OUTBOX_FOLDER, or instance/outbox/ in development."""
    if not has_app_context():
        return None
    config = current_app.config
    if config.get("OUTBOX_FOLDER"):
        return Path(config["OUTBOX_FOLDER"])
    if config.get("TESTING") or config.get("MAIL_SERVER"):
        return None
    return Path(current_app.instance_path) / "outbox"


def queue_message(to_address: str, subject: str, body: str, *,
                  attachment: tuple[str, str, bytes] | None = None) -> OutboxMessage:
    """Store a message; ``attachment`` is (file name, content type, bytes)."""
    message = OutboxMessage(to_address=to_address, subject=subject[:300], body=body,
                            status=PENDING, next_attempt_at=utcnow())
    if attachment is not None:
        message.attachment_name, message.attachment_type, message.attachment_data = attachment
    db.session.add(message)
    db.session.flush()
    folder = _outbox_folder()
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{message.created_at:%Y%m%d-%H%M%S}-{message.id}.eml"
        (folder / name).write_bytes(bytes(build_email(message)))
    return message


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes, at most MAX_BACKOFF."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def send_pending(*, limit: int = 100, transport=None) -> tuple[int, int]:
    """Send due messages; returns (sent, failed). A failure keeps the message
    pending with a later next_attempt_at. Without MAIL_SERVER nothing is sent."""
    config = current_app.config
    if transport is None:
        if not config.get("MAIL_SERVER"):
            return 0, 0
        transport = _smtp_send
    now = utcnow()
    due = list(db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
        .options(db.undefer(OutboxMessage.attachment_data))))
    sent = failed = 0
    for message in due:
        message.attempts += 1
        try:
            transport(build_email(message))
        except (OSError, smtplib.SMTPException) as error:
            message.last_error = str(error)[:1000]
            message.next_attempt_at = now + backoff(message.attempts)
            failed += 1
        else:
            message.status = SENT
            message.sent_at = now
            message.last_error = ""
            sent += 1
        db.session.flush()
    return sent, failed


def _smtp_send(email: EmailMessage) -> None:
    config = current_app.config
    port = int(config.get("MAIL_PORT", 587))
    with smtplib.SMTP(config["MAIL_SERVER"], port, timeout=30) as smtp:
        if config.get("MAIL_USE_TLS", True):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        smtp.send_message(email)


def list_messages(*, page: int = 1, per_page: int = 50):
    query = db.select(OutboxMessage).order_by(OutboxMessage.created_at.desc(),
                                              OutboxMessage.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def _eml_folder() -> Path | None:
    """Where .eml copies may lie: OUTBOX_FOLDER, or instance/outbox/ outside tests (also
    copies left from development when MAIL_SERVER is set now)."""
    config = current_app.config
    if config.get("OUTBOX_FOLDER"):
        return Path(config["OUTBOX_FOLDER"])
    if config.get("TESTING"):
        return None
    return Path(current_app.instance_path) / "outbox"


def _mentions(path: Path, pattern: re.Pattern) -> bool:
    """Whether a stored .eml names the person: headers and decoded body (a body in
    base64 or quoted-printable does not show the address in the raw bytes)."""
    raw = path.read_bytes()
    if pattern.search(raw.decode("utf-8", "replace")):
        return True
    message = BytesParser(policy=policy.default).parsebytes(raw)
    parts = [str(message.get(h, "")) for h in ("To", "Cc", "Subject")]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())
    return any(pattern.search(text) for text in parts)


def forget_recipient(address: str, texts: list[str], replacement: str) -> int:
    """Remove a person from the mail: messages to ``address`` are deleted, other
    messages have ``address`` and ``texts`` (the old name) replaced in subject and body,
    and every .eml copy to or about the person is deleted. Returns the files deleted."""
    terms = [t for t in [address, *texts] if t and len(t.strip()) >= 3]
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    own = sa.func.lower(OutboxMessage.to_address) == address.lower()
    own_ids = set(db.session.scalars(db.select(OutboxMessage.id).where(own)))
    db.session.execute(db.delete(OutboxMessage).where(own).execution_options(
        synchronize_session=False))
    mentioned = sa.or_(*[sa.func.lower(column).contains(t.lower())
                         for t in terms for column in (OutboxMessage.subject,
                                                       OutboxMessage.body)])
    for message in db.session.scalars(db.select(OutboxMessage).where(mentioned)):
        message.subject = pattern.sub(replacement, message.subject)
        message.body = pattern.sub(replacement, message.body)
    folder = _eml_folder()
    deleted = 0
    if folder is not None and folder.is_dir():
        for path in folder.glob("*.eml"):
            message_id = path.stem.rsplit("-", 1)[-1]
            if (message_id.isdigit() and int(message_id) in own_ids) or _mentions(path,
                                                                                  pattern):
                path.unlink(missing_ok=True)
                deleted += 1
    return deleted
