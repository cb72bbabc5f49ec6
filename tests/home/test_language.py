import pytest

pytestmark = pytest.mark.django_db


def test_thai_is_the_default_even_for_an_english_phone(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="th">' in html
    assert "ร้องเรียนร้องทุกข์" in html


def test_the_english_switch_translates_the_citizen_pages_and_switches_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    # The six tiles are interface text (the page title and intro are editors' content).
    assert '<span class="name">File a complaint</span>' in html
    assert '<span class="name">ร้องเรียนร้องทุกข์</span>' not in html

    register = client.get("/accounts/register/").content.decode()
    assert "National ID number" in register

    response = client.post("/i18n/setlang/", {"language": "th", "next": "/"}, follow=True)
    assert "ร้องเรียนร้องทุกข์" in response.content.decode()


def test_dates_follow_the_chosen_language(client):
    from accounts.models import User
    from tests.accounts.factories import CitizenFactory

    profile = CitizenFactory(birth_date="1990-07-21")
    client.force_login(User.objects.get(pk=profile.user_id))
    assert "21 ก.ค. 2533" in client.get("/accounts/profile/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "21 Jul 1990" in client.get("/accounts/profile/").content.decode()
