"""Deep linking (LTI Deep Linking 2.0): an instructor picks a course or module
and the tool answers with a signed LtiDeepLinkingResponse."""

import secrets
import time

from modules.core.i18n import _

from . import keys
from .errors import LtiError
from .launch import CLAIM, DL_CLAIM
from .models import LtiPlatform

SCORE_MAXIMUM = 100


def settings_for_session(launch) -> dict:
    """What the pick page needs later, kept in the (signed) session."""
    settings = launch.deep_linking_settings
    return {"platform_id": launch.platform.id, "deployment_id": launch.deployment_id,
            "return_url": settings["deep_link_return_url"], "data": settings.get("data"),
            "accept_types": settings.get("accept_types") or ["ltiResourceLink"],
            "accept_lineitem": settings.get("accept_lineitem", True),
            "accept_multiple": settings.get("accept_multiple") is True}


def accepts_links(settings: dict) -> bool:
    """Whether the platform takes what we offer (LTI resource links) here."""
    return "ltiResourceLink" in (settings.get("accept_types") or [])


def content_item(*, title: str, launch_url: str, custom: dict, graded: bool,
                 resource_id: str, text: str = "", accept_lineitem: bool = True) -> dict:
    item = {"type": "ltiResourceLink", "title": title, "url": launch_url, "custom": custom}
    if text:
        item["text"] = text
    if graded and accept_lineitem:
        item["lineItem"] = {"scoreMaximum": SCORE_MAXIMUM, "label": title,
                            "resourceId": resource_id, "tag": "innbyggerstemmen"}
    return item


def build_response(platform: LtiPlatform, settings: dict, items: list[dict], *,
                   msg: str | None = None, errormsg: str | None = None) -> str:
    """The signed LtiDeepLinkingResponse: the picked items, or none with ``msg``
    (a cancelled pick) or ``errormsg`` (a refused one) for the platform to show."""
    if items and not accepts_links(settings):
        raise LtiError(_("Læringsplattformen tar ikke imot lenker av typen LTI-ressurs."),
                       code="accept_types")
    if len(items) > 1 and not settings.get("accept_multiple"):
        raise LtiError(_("Læringsplattformen tar bare imot ett valg her."),
                       code="accept_multiple")
    now = int(time.time())
    claims = {
        "iss": platform.client_id, "aud": platform.issuer, "azp": platform.client_id,
        "iat": now, "exp": now + 600, "nonce": secrets.token_urlsafe(24),
        CLAIM + "message_type": "LtiDeepLinkingResponse",
        CLAIM + "version": "1.3.0",
        CLAIM + "deployment_id": settings["deployment_id"],
        DL_CLAIM + "content_items": items,
    }
    if settings.get("data") is not None:
        claims[DL_CLAIM + "data"] = settings["data"]
    if msg:
        claims[DL_CLAIM + "msg"] = msg
    if errormsg:
        claims[DL_CLAIM + "errormsg"] = errormsg
    return keys.sign(claims)
