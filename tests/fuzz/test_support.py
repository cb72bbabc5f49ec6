"""The sweep's own checks can fail: each one is shown the thing it exists to catch."""

import pytest
from django.http import HttpResponse

from accounts.models import User
from tests.fuzz.files import Upload
from tests.fuzz.strategies import SCRIPT_PAYLOADS
from tests.fuzz.support import (
    FileSandbox,
    assert_unchanged,
    check_page,
    multipart,
    raw_markup,
    snapshot,
    urlencoded,
)


@pytest.mark.parametrize("payload", [p for p in SCRIPT_PAYLOADS if "<" in p])
def test_a_payload_shown_raw_is_caught_and_an_escaped_one_is_not(payload):
    from django.utils.html import escape

    raw = HttpResponse(f"<p>{payload}</p>", content_type="text/html")
    with pytest.raises(AssertionError, match="markup shown raw"):
        check_page(raw)
    check_page(HttpResponse(f"<p>{escape(payload)}</p><input value='{escape(payload)}'>"))


def test_a_script_in_an_attribute_or_a_json_block_is_told_apart():
    assert raw_markup('<a href="javascript:fz9x()">x</a>')
    assert raw_markup("<div onmouseover='fz9x()'>")
    assert not raw_markup('<input value="&quot;&gt;&lt;img src=x onerror=fz9x()&gt;">')
    assert not raw_markup(
        '<script type="application/json">{"a": "\\u003Cb onload=fz9x()"}</script>'
    )


def test_a_server_error_is_caught():
    with pytest.raises(AssertionError, match="HTTP 500"):
        check_page(HttpResponse(status=500))


def test_a_file_outside_the_media_folders_is_caught(tmp_path):
    box = FileSandbox(tmp_path)
    box.private.mkdir(parents=True)
    (box.private / "evidence.jpg").write_bytes(b"x")
    box.assert_contained()
    (tmp_path / "srv" / "passwd.jpg").write_bytes(b"x")
    with pytest.raises(AssertionError, match="outside the media folders"):
        box.assert_contained()


@pytest.mark.django_db
def test_a_row_saved_by_a_refused_request_is_caught():
    before = snapshot(User)
    User.objects.create(username="left-behind")
    with pytest.raises(AssertionError, match="saved rows"):
        assert_unchanged(before, (User,), "POST /x/")


def test_bodies_carry_invalid_utf8_and_hostile_file_names_as_sent():
    assert urlencoded({"a": "\ud800", "b": ["1", "\x00"]}) == "a=%ED%A0%80&b=1&b=%00"
    body, content_type = multipart({}, [("f", Upload("../../x\x00.jpg", b"data"))])
    assert b'filename="../../x\x00.jpg"' in body
    assert content_type.startswith("multipart/form-data; boundary=")
