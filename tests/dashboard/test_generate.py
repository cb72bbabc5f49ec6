"""The benchmark's data generator makes complaints the dashboard can count."""

import pytest
from django.core.management import call_command

from complaints.models import Complaint
from dashboard.forms import Filters
from dashboard.periods import fiscal_year_of
from dashboard.selectors import dashboard_figures

pytestmark = pytest.mark.django_db


def test_generated_complaints_spread_over_three_fiscal_years(capsys):
    call_command("dashboard_generate", count=300, seed=1)
    assert Complaint.objects.filter(tracking_number__startswith="BENCH-").count() == 300
    current = fiscal_year_of()
    per_year = [
        dashboard_figures(filters=Filters.for_fiscal_year(year))
        for year in (current - 2, current - 1, current)
    ]
    assert sum(f.total for f in per_year) == 300
    assert all(f.adds_up for f in per_year)
    assert per_year[0].total > 0 and per_year[1].total > 0
    assert per_year[0].rated > 0
