"""Our documents against the GeoReport v2 specification's example documents (shape: root,
item and field names, nesting; JSON types; W3C date-times with an offset), in both formats.
The examples are in ``spec_examples/`` (see its README)."""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from complaints.models import ComplaintCategory
from tests.complaints.factories import ComplaintFactory
from tests.open311.support import issue_key, valid_post

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).parent / "spec_examples"
W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
DATETIMES = ("requested_datetime", "updated_datetime", "expected_datetime")


def example(name: str):
    if name.endswith(".json"):
        return json.loads((EXAMPLES / name).read_text("utf-8"))
    return ET.fromstring((EXAMPLES / name).read_bytes())


def xml_shape(element: ET.Element):
    """An element's name and, for one with children, the shapes of its children."""
    children = list(element)
    if not children:
        return element.tag
    return (element.tag, frozenset(xml_shape(child) for child in children))


def assert_xml_like(ours: ET.Element, spec: ET.Element):
    """Same root; every element of ours exists at the same place in the example."""
    assert ours.tag == spec.tag
    allowed = {}
    for item in spec.iter():
        allowed.setdefault(item.tag, set()).update(child.tag for child in item)
    for item in ours.iter():
        extra = {child.tag for child in item} - allowed.get(item.tag, set())
        assert not extra, f"<{item.tag}> has elements the specification does not: {extra}"


def json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def assert_json_like(ours, spec, path="$"):
    if isinstance(spec, list):
        assert isinstance(ours, list), path
        for item in ours:
            assert_json_like(item, spec[0], f"{path}[]")
        return
    if isinstance(spec, dict):
        assert isinstance(ours, dict), path
        extra = set(ours) - set(spec)
        assert not extra, f"{path} has fields the specification does not: {extra}"
        for key, value in ours.items():
            assert_json_like(value, spec[key], f"{path}.{key}")
        return
    if ours is None or spec is None:
        return  # "may not be returned" / empty
    assert json_type(ours) == json_type(spec), f"{path}: {ours!r} is not like {spec!r}"
    if path.rsplit(".", 1)[-1] in DATETIMES:
        assert W3C.match(ours), f"{path}: {ours!r}"


@pytest.fixture
def data():
    """A category (a service) and a case filed in it."""
    complaint = ComplaintFactory()
    return ComplaintCategory.objects.get(pk=complaint.category_id)


def test_services(client, data):
    assert_xml_like(
        ET.fromstring(client.get("/open311/v2/services.xml").content), example("services.xml")
    )
    ours = json.loads(client.get("/open311/v2/services.json").content)
    assert_json_like(ours, example("services.json"))
    assert set(ours[0]) == set(example("services.json")[0])


def test_service_definition(client, data):
    xml = client.get(f"/open311/v2/services/{data.pk}.xml").content
    assert_xml_like(ET.fromstring(xml), example("service_definition.xml"))
    ours = json.loads(client.get(f"/open311/v2/services/{data.pk}.json").content)
    assert_json_like(ours, example("service_definition.json"))


def test_requests_and_one_request(client, data):
    spec_xml, spec_json = example("requests.xml"), example("requests.json")
    for url in (
        "/open311/v2/requests",
        f"/open311/v2/requests/{data.complaints.get().tracking_number}",
    ):
        ours_xml = ET.fromstring(client.get(f"{url}.xml").content)
        assert_xml_like(ours_xml, spec_xml)
        assert xml_shape(ours_xml.find("request")) == xml_shape(spec_xml.find("request"))
        ours = json.loads(client.get(f"{url}.json").content)
        assert ours
        assert_json_like(ours, spec_json)
        assert all(set(item) == set(spec_json[0]) for item in ours)


def test_post_answer(client, data):
    _key, raw = issue_key()
    xml = client.post("/open311/v2/requests.xml", valid_post(raw)).content
    assert_xml_like(ET.fromstring(xml), example("post_response.xml"))
    ours = json.loads(
        client.post("/open311/v2/requests.json", valid_post(raw, account_id="")).content
    )
    assert_json_like(ours, example("post_response.json"))
    assert set(ours[0]) == set(example("post_response.json")[0])
    assert ours[0]["account_id"] is None


def test_errors(client, data):
    response = client.post("/open311/v2/requests.xml", {"service_code": str(data.pk)})
    assert response.status_code == 403
    assert xml_shape(ET.fromstring(response.content)) == xml_shape(example("errors.xml"))
    response = client.post("/open311/v2/requests.json", {"service_code": str(data.pk)})
    assert_json_like(json.loads(response.content), example("errors.json"))
