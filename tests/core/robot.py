"""The not-a-robot check as a test's browser passes it: a real challenge from the site, really
solved (with the test settings' small ALTCHA_MAX_NUMBER), posted as the ALTCHA widget posts it."""

import altcha
from django.urls import reverse

from core.robot_check import challenge_create

CHALLENGE_URL = reverse("core:robot-check-challenge")


def solve(challenge: dict) -> str:
    """The widget's work: find the counter, then the payload it puts in the form."""
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed, timeout=30)
    assert solution is not None, "the challenge could not be solved"
    return altcha.Payload(parsed, solution).to_base64()


def solved_answer(client=None) -> str:
    """A solved challenge, fetched through ``client`` as the widget fetches it (or made here)."""
    if client is None:
        return solve(challenge_create())
    response = client.get(CHALLENGE_URL)
    assert response.status_code == 200
    return solve(response.json())
