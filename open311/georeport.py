"""The two formats of GeoReport v2 (http://wiki.open311.org/GeoReport_v2): XML, which the
specification requires, and JSON, its "Spark convention" mapping of the same documents.

A document is built once as plain Python (lists of dicts) and written either way: a list is a
root element with one child per item (``<services><service>…``), a nested list is an element
whose children take the singular name (``<attributes><attribute>…``), ``None`` is an empty
element (``null`` in JSON) and booleans are ``true``/``false``. Errors are the specification's
error list, ``[{"code": …, "description": …}]`` / ``<errors><error>…``, with the HTTP status.
"""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from zoneinfo import ZoneInfo

from django.http import HttpResponse

BANGKOK = ZoneInfo("Asia/Bangkok")
JSON, XML = "json", "xml"
CONTENT_TYPES = {
    JSON: "application/json; charset=utf-8",
    XML: "text/xml; charset=utf-8",
}
SINGULAR = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}
# Characters XML 1.0 cannot carry at all (control characters other than tab and newlines).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def w3c_datetime(moment: datetime | None) -> str | None:
    """ISO 8601 as the W3C note has it, in Bangkok time: ``2026-03-01T09:30:00+07:00``."""
    if moment is None:
        return None
    return moment.astimezone(BANGKOK).isoformat(timespec="seconds")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _append(parent: ET.Element, name: str, value) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _append(element, SINGULAR.get(name, "item"), item)
    else:
        element.text = _text(value)


def to_xml(root: str, document) -> bytes:
    """``document`` (a list or a dict) under the element ``root``, with the XML declaration."""
    element = ET.Element(root)
    if isinstance(document, dict):
        for key, value in document.items():
            _append(element, key, value)
    else:
        for item in document:
            _append(element, SINGULAR[root], item)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")


def respond(document, fmt: str, *, root: str, status: int = 200, headers=None) -> HttpResponse:
    if fmt == XML:
        body = to_xml(root, document)
    else:
        body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error(fmt: str, status: int, *descriptions: str, headers=None) -> HttpResponse:
    """The specification's error list: one ``error`` per problem, ``code`` the HTTP status."""
    document = [{"code": status, "description": text} for text in descriptions]
    return respond(document, fmt, root="errors", status=status, headers=headers)
