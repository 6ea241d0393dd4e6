"""The OpenAPI 3.1 document of the integration API (tests validate every response
against the schemas here)."""

_PAGE_PARAMS = [
    {"name": "limit", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}},
    {"name": "offset", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 0, "maximum": 1_000_000_000, "default": 0}},
]
_UNIT_CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"},
              "description": "Enhetens kode, for eksempel «ost»."}
_DATETIME = {"type": ["string", "null"], "format": "date-time"}


def _page_of(item_ref: str) -> dict:
    return {"type": "object", "required": ["items", "total", "limit", "offset"],
            "additionalProperties": False,
            "properties": {"items": {"type": "array", "items": {"$ref": item_ref}},
                           "total": {"type": "integer", "minimum": 0},
                           "limit": {"type": "integer", "minimum": 1},
                           "offset": {"type": "integer", "minimum": 0}}}


def _errors(*codes: str) -> dict:
    texts = {"400": "Ugyldig parameter",
             "401": "Mangler, ugyldig, utløpt eller tilbaketrukket API-nøkkel",
             "403": "API-nøkkelen mangler tilgangen operasjonen krever",
             "404": "Fant ikke enheten (eller nøkkelen er begrenset til en annen enhet)",
             "429": "For mange forespørsler med denne nøkkelen"}
    codes = (*codes, "401", "429")
    answers = {code: {"description": texts[code], "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}} for code in codes}
    answers["429"]["headers"] = {"Retry-After": {
        "description": "Sekunder til nøkkelen kan brukes igjen",
        "schema": {"type": "integer", "minimum": 1}}}
    return answers


def _security(*scopes: str) -> list[dict]:
    """The scopes an operation needs (OpenAPI 3.1: role names for a non-OAuth scheme)."""
    return [{"bearerAuth": list(scopes)}]


def _ok(schema: str, description: str) -> dict:
    return {"200": {"description": description, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{schema}"}}}}}


def document() -> dict:
    person = {"type": ["object", "null"], "required": ["name", "email"],
              "additionalProperties": False,
              "description": "Navn og e-post med tilgangen people:read; ellers null.",
              "properties": {"name": {"type": "string"},
                             "email": {"type": "string", "format": "email"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Innbyggerstemmen kursplattform – integrasjons-API",
                 "version": "1.0.0",
                 "description": (
                    "Lesetilgang for HR- og BI-verktøy. Bruk en API-nøkkel fra "
                    "administratoren som Bearer-token. En nøkkel har tilganger (scopes): "
                    "reports:read (fullføringer), certificates:read (kursbevis) og "
                    "people:read (navn og e-post i svarene; uten den er personfeltene "
                    "null). Enheter og kurs kan leses med enhver nøkkel. En nøkkel kan "
                    "være begrenset til én enhet (andre enheter svarer 404) og kan ha en "
                    "utløpsdato (deretter 401). Hver nøkkel har en grense for antall "
                    "forespørsler; over den svarer API-et 429 med Retry-After.")},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/units": {"get": {
                "operationId": "listUnits", "summary": "Enheter",
                "description": "En nøkkel begrenset til én enhet ser bare den.",
                "parameters": _PAGE_PARAMS + [{"name": "kind", "in": "query",
                                               "schema": {"type": "string"}}],
                "responses": {**_ok("UnitPage", "Enheter"), **_errors("400")}}},
            "/courses": {"get": {
                "operationId": "listCourses", "summary": "Kurs",
                "parameters": _PAGE_PARAMS + [{"name": "track", "in": "query",
                                               "schema": {"type": "string"}}],
                "responses": {**_ok("CoursePage", "Kurs"), **_errors("400")}}},
            "/units/{code}/certificates": {"get": {
                "operationId": "listUnitCertificates",
                "summary": "Kursbevis for personer i en enhet",
                "security": _security("certificates:read"),
                "parameters": [_UNIT_CODE, *_PAGE_PARAMS,
                               {"name": "status", "in": "query", "schema": {
                                   "type": "string", "enum": ["active", "expired", "revoked"]}},
                               {"name": "course", "in": "query", "schema": {"type": "string"},
                                "description": "Kursets slug"}],
                "responses": {**_ok("CertificatePage", "Kursbevis"),
                              **_errors("400", "403", "404")}}},
            "/units/{code}/completions": {"get": {
                "operationId": "listUnitCompletions",
                "summary": "Fullførte kurs for personer i en enhet",
                "security": _security("reports:read"),
                "parameters": [_UNIT_CODE, *_PAGE_PARAMS,
                               {"name": "course", "in": "query", "schema": {"type": "string"}},
                               {"name": "since", "in": "query",
                                "schema": {"type": "string", "format": "date"}}],
                "responses": {**_ok("CompletionPage", "Fullføringer"),
                              **_errors("400", "403", "404")}}},
        },
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {
                    "error": {"type": "object", "required": ["code", "message"],
                              "properties": {"code": {"type": "string"},
                                             "message": {"type": "string"}}}}},
                "Unit": {"type": "object", "required": ["code", "name", "kind"],
                         "additionalProperties": False,
                         "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                                        "kind": {"type": "string"}}},
                "Course": {"type": "object", "required": ["slug", "title", "track"],
                           "additionalProperties": False,
                           "properties": {"slug": {"type": "string"},
                                          "title": {"type": "string"},
                                          "track": {"type": "string"}}},
                "Certificate": {
                    "type": "object", "additionalProperties": False,
                    "required": ["code", "holder", "course", "course_title", "issued_at",
                                 "expires_at", "status"],
                    "properties": {"code": {"type": "string"}, "holder": person,
                                   "course": {"type": "string"},
                                   "course_title": {"type": "string"},
                                   "issued_at": {"type": "string", "format": "date-time"},
                                   "expires_at": _DATETIME,
                                   "status": {"type": "string",
                                              "enum": ["active", "expired", "revoked"]}}},
                "Completion": {
                    "type": "object", "additionalProperties": False,
                    "required": ["person", "course", "enrolled_at", "completed_at"],
                    "properties": {"person": person, "course": {"type": "string"},
                                   "enrolled_at": {"type": "string", "format": "date-time"},
                                   "completed_at": {"type": "string", "format": "date-time"}}},
                "UnitPage": _page_of("#/components/schemas/Unit"),
                "CoursePage": _page_of("#/components/schemas/Course"),
                "CertificatePage": _page_of("#/components/schemas/Certificate"),
                "CompletionPage": _page_of("#/components/schemas/Completion"),
            },
        },
    }
