"""AGS line items: the gradebook column a resource link's scores go to.

A launch either names its line item (``lineitem``: we read its ``scoreMaximum``)
or only the container (``lineitems``): then the tool creates one line item per
graded quiz module (or course) with ``resourceLinkId``, ``tag`` and
``scoreMaximum``, and finds it again on later launches (our own row first, else
``GET lineitems?resource_link_id=…&tag=…``) instead of making a duplicate.
Results are read back (``result.readonly``) for the run page.

A platform that fails here never fails the launch: the launch goes on without a
line item and the next launch tries again.
"""

import json
from urllib.parse import urlencode, urlsplit, urlunsplit

from flask import current_app

from modules.core.extensions import db

from . import http, tokens
from .errors import LtiError
from .models import LtiLineItem, LtiPlatform, LtiResourceLink

SCOPE_PREFIX = "https://purl.imsglobal.org/spec/lti-ags/scope/"
LINEITEM_SCOPE = SCOPE_PREFIX + "lineitem"
LINEITEM_READONLY_SCOPE = SCOPE_PREFIX + "lineitem.readonly"
RESULT_SCOPE = SCOPE_PREFIX + "result.readonly"
SCORE_SCOPE = SCOPE_PREFIX + "score"
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
LINEITEMS_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
RESULTS_TYPE = "application/vnd.ims.lis.v2.resultcontainer+json"
CREATED_SCORE_MAXIMUM = 100.0
TAG_PREFIX = "innbyggerstemmen"


def tag_for(course_slug: str, module_key: str | None) -> str:
    """The tag of the line item for a quiz module, or for a whole course."""
    if module_key:
        return f"{TAG_PREFIX}:quiz:{course_slug}:{module_key}"[:255]
    return f"{TAG_PREFIX}:course:{course_slug}"[:255]


def _with_query(url: str, params: dict) -> str:
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(params)) if q)
    return urlunsplit(parts._replace(query=query))


def _sub_url(url: str, suffix: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + suffix))


def _token(platform: LtiPlatform, scope: str) -> dict:
    return {"Authorization": f"Bearer {tokens.access_token(platform, [scope])}"}


def _score_maximum(data, default: float) -> float:
    value = data.get("scoreMaximum") if isinstance(data, dict) else None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return default
    return value if value > 0 else default


def record_line_item(platform: LtiPlatform, link: LtiResourceLink, ags: dict, *,
                     graded: bool, course_slug: str | None, module_key: str | None,
                     title: str) -> LtiLineItem | None:
    """The line item this launch's scores go to, recorded (and created on the platform
    when the launch only carries the container); None when there is none."""
    scopes = ags.get("scope") or []
    can_send = SCORE_SCOPE in scopes
    try:
        if ags.get("lineitem"):
            return _named_item(platform, link, ags["lineitem"], scopes, can_send)
        if ags.get("lineitems") and graded and course_slug and LINEITEM_SCOPE in scopes:
            return _created_item(platform, link, ags["lineitems"], can_send,
                                 tag=tag_for(course_slug, module_key), label=title)
    except LtiError as error:
        current_app.logger.warning("LTI line item for %s: %s", link.resource_link_id,
                                   error.message)
    return None


def _named_item(platform, link, url: str, scopes: list, can_send: bool) -> LtiLineItem:
    item = db.session.scalar(db.select(LtiLineItem).where(LtiLineItem.url == url))
    if item is None:
        item = LtiLineItem(platform_id=platform.id, url=url)
        db.session.add(item)
        readable = [s for s in (LINEITEM_SCOPE, LINEITEM_READONLY_SCOPE) if s in scopes]
        if readable:  # its scoreMaximum, so a share becomes the right number of points
            try:
                data = http.get_json(url, headers={"Accept": LINEITEM_TYPE,
                                                   **_token(platform, readable[0])})
            except LtiError as error:
                current_app.logger.warning("LTI line item %s: %s", url, error.message)
            else:
                item.score_maximum = _score_maximum(data, 100.0)
    item.resource_link_id = link.id
    item.can_send_scores = can_send
    db.session.flush()
    return item


def _created_item(platform, link, container: str, can_send: bool, *, tag: str,
                  label: str) -> LtiLineItem:
    item = db.session.scalar(db.select(LtiLineItem).where(
        LtiLineItem.platform_id == platform.id, LtiLineItem.resource_link_id == link.id,
        LtiLineItem.tag == tag))
    if item is None:
        item = _find_on_platform(platform, container, link.resource_link_id, tag)
    if item is None:
        body = {"scoreMaximum": CREATED_SCORE_MAXIMUM, "label": label or tag,
                "resourceLinkId": link.resource_link_id, "resourceId": tag, "tag": tag}
        data = http.request("POST", container, data=json.dumps(body).encode(), headers={
            "Content-Type": LINEITEM_TYPE, "Accept": LINEITEM_TYPE,
            **_token(platform, LINEITEM_SCOPE)}).json()
        url = data.get("id") if isinstance(data, dict) else None
        if not url:
            raise LtiError("the platform created a line item without an id", code="lineitem")
        item = _row(platform, url, tag, label, _score_maximum(data, CREATED_SCORE_MAXIMUM))
    item.resource_link_id = link.id
    item.can_send_scores = can_send
    db.session.flush()
    return item


def _find_on_platform(platform, container: str, resource_link_id: str,
                      tag: str) -> LtiLineItem | None:
    url = _with_query(container, {"resource_link_id": resource_link_id, "tag": tag})
    data = http.get_json(url, headers={"Accept": LINEITEMS_TYPE,
                                       **_token(platform, LINEITEM_SCOPE)})
    for entry in data if isinstance(data, list) else []:
        if (isinstance(entry, dict) and entry.get("id") and entry.get("tag") == tag
                and entry.get("resourceLinkId") in (None, resource_link_id)):
            return _row(platform, entry["id"], tag, entry.get("label") or "",
                        _score_maximum(entry, CREATED_SCORE_MAXIMUM))
    return None


def _row(platform, url: str, tag: str, label: str, score_maximum: float) -> LtiLineItem:
    item = db.session.scalar(db.select(LtiLineItem).where(LtiLineItem.url == url))
    if item is None:
        item = LtiLineItem(platform_id=platform.id, url=url)
        db.session.add(item)
    item.tag, item.label, item.score_maximum = tag, label[:300], score_maximum
    return item


def read_results(item: LtiLineItem) -> list[dict]:
    """The platform's results for ``item`` (``result.readonly``): a list of
    ``{"userId", "resultScore", "resultMaximum"}``. Raises LtiError."""
    platform = db.session.get(LtiPlatform, item.platform_id)
    data = http.get_json(_sub_url(item.url, "/results"),
                         headers={"Accept": RESULTS_TYPE, **_token(platform, RESULT_SCOPE)})
    return [entry for entry in (data if isinstance(data, list) else [])
            if isinstance(entry, dict) and entry.get("userId")]
