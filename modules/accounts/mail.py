"""Account mail (password reset) goes through the outbox feature, which keeps
every message in the database until it is delivered and retries failures."""

from modules.outbox.services import queue_message


def send_mail(to: str, subject: str, body: str):
    return queue_message(to, subject, body)
