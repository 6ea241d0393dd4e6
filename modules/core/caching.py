"""``Cache-Control: no-store`` on every dynamic response, so no browser, proxy or shared
computer keeps a copy of a page or file that holds personal data (a certificate PDF,
a practice file, "Min side", an API answer). Static assets keep Flask's own caching;
a response that declares itself ``public`` (badge images, the LTI key set) keeps its
header."""

from flask import Flask, Response, request


def init_app(app: Flask) -> None:
    app.after_request(_no_store)


def _no_store(response: Response) -> Response:
    if request.endpoint == "static" or "public" in response.cache_control:
        return response
    response.headers["Cache-Control"] = "no-store"
    response.headers.pop("Pragma", None)
    return response
