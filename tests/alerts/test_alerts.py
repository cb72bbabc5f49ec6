"""Staff alerts in LINE: three working days before a deadline, every working day once overdue
(officer and supervisors), the supervisors' morning digest and the executives' weekly summary;
each only once however often the job runs, and never to someone who turned it off."""

import datetime
import json

import pytest
from django.core.management import call_command

from accounts.roles import Role
from alerts.models import AlertPreference, AlertSent
from alerts.services import send_deadline_alerts, send_morning_digest, send_weekly_summary
from alerts.workdays import Calendar
from chat.models import ServiceHoliday
from complaints.clock import start_of_day
from complaints.models import Complaint, State
from dashboard.forms import Filters
from dashboard.periods import fiscal_year_of
from dashboard.selectors import dashboard_figures
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.complaints.admin_support import ADMIN_URL, grant_officer_screen_permissions
from tests.complaints.factories import ComplaintFactory
from tests.complaints.test_admin import row_order
from tests.complaints.workflow_support import link_line, messages_to

pytestmark = pytest.mark.django_db

MON, TUE, WED, THU, FRI, SAT = (datetime.date(2030, 1, day) for day in (7, 8, 9, 10, 11, 12))
NEXT_MON = datetime.date(2030, 1, 14)


def due_on(day: datetime.date, **fields) -> Complaint:
    return ComplaintFactory(
        report_due_at=start_of_day(day) + datetime.timedelta(hours=10), **fields
    )


def filed_at(complaint: Complaint, moment: datetime.datetime) -> None:
    Complaint.objects.filter(pk=complaint.pk).update(submitted_at=moment)


def texts(line_id: str) -> list[str]:
    return [json.dumps(row.messages, ensure_ascii=False) for row in messages_to(line_id)]


def buttons(line_id: str) -> list[dict]:
    [row] = messages_to(line_id)
    return [item["action"] for item in row.messages[0]["contents"]["footer"]["contents"]]


@pytest.fixture
def officer():
    return StaffFactory(role=Role.CASE_OFFICER)


@pytest.fixture
def supervisor():
    return StaffFactory(role=Role.SUPERVISOR)


# Working days ---------------------------------------------------------------------------------


def test_working_days_skip_weekends_and_the_holidays_staff_keep():
    assert Calendar(WED).working_days_left(NEXT_MON) == 3  # Thu, Fri, Mon
    ServiceHoliday.objects.create(date=THU, name="วันหยุดทดสอบ")
    calendar = Calendar(WED)
    assert calendar.working_days_left(NEXT_MON) == 2
    assert calendar.add_working_days(3) == datetime.date(2030, 1, 15)
    assert Calendar(NEXT_MON).previous_working_day() == FRI
    assert not calendar.is_working_day(SAT) and not calendar.is_working_day(THU)


# Deadlines -------------------------------------------------------------------------------------


def test_three_working_days_before_the_deadline_the_officer_hears_once(officer):
    line = link_line(officer)
    complaint = due_on(NEXT_MON, assigned_officer=officer)

    send_deadline_alerts(today=TUE)  # four working days left
    assert texts(line) == []

    send_deadline_alerts(today=WED)
    send_deadline_alerts(today=WED)  # the timer ran twice
    send_deadline_alerts(today=THU)  # the same deadline is not announced again
    [message] = texts(line)
    assert complaint.tracking_number in message and "3 วันทำการ" in message
    assert f"/admin/complaints/complaint/inspect/{complaint.pk}/" in message
    assert complaint.complainant_first_name not in message


def test_a_holiday_brings_the_alert_a_day_earlier(officer):
    ServiceHoliday.objects.create(date=THU, name="วันหยุดทดสอบ")
    line = link_line(officer)
    due_on(NEXT_MON, assigned_officer=officer)

    send_deadline_alerts(today=TUE)

    assert len(texts(line)) == 1


def test_overdue_cases_go_to_the_officer_and_supervisors_once_a_working_day(officer, supervisor):
    quiet = StaffFactory(role=Role.SUPERVISOR)
    AlertPreference.objects.create(user=quiet, deadline_alerts=False)
    unlinked = StaffFactory(role=Role.SUPERVISOR)
    lines = {
        "officer": link_line(officer),
        "supervisor": link_line(supervisor),
        "quiet": link_line(quiet),
    }
    late = due_on(TUE, assigned_officer=officer)
    unassigned_late = due_on(MON)
    due_today = due_on(WED)  # not late yet
    due_on(MON, state=State.COMPLETED)  # finished: never late

    send_deadline_alerts(today=WED)
    send_deadline_alerts(today=WED)

    assert len(texts(lines["officer"])) == 1
    assert late.tracking_number in texts(lines["officer"])[0]
    assert unassigned_late.tracking_number not in texts(lines["officer"])[0]
    [to_supervisor] = texts(lines["supervisor"])
    assert (
        late.tracking_number in to_supervisor and unassigned_late.tracking_number in to_supervisor
    )
    assert due_today.tracking_number not in to_supervisor
    assert texts(lines["quiet"]) == []
    assert not AlertSent.objects.filter(user=unlinked).exists()

    send_deadline_alerts(today=SAT)  # no alerts at the weekend
    assert len(texts(lines["supervisor"])) == 1
    send_deadline_alerts(today=THU)  # the next working day, once more
    assert len(texts(lines["officer"])) == 2 and len(texts(lines["supervisor"])) == 2


# The morning digest ----------------------------------------------------------------------------


def test_the_morning_digest_counts_four_things_and_links_each(supervisor, officer):
    line = link_line(supervisor)
    for day, hour in ((MON, 9), (TUE, 10), (WED, 6)):
        filed_at(
            due_on(day + datetime.timedelta(days=15)),
            start_of_day(day) + datetime.timedelta(hours=hour),
        )
    due_on(THU, assigned_officer=officer)  # due soon, assigned
    due_on(TUE)  # overdue, unassigned
    due_on(MON, state=State.COMPLETED)

    send_morning_digest(today=WED)
    send_morning_digest(today=WED)

    [message] = texts(line)
    assert "เรื่องใหม่ตั้งแต่ 8 ม.ค. 2573: 2 เรื่อง" in message  # Tuesday's and today's
    assert "ยังไม่มอบหมายเจ้าหน้าที่: 4 เรื่อง" in message
    assert "ครบกำหนดภายใน 3 วันทำการ: 1 เรื่อง" in message
    assert "เกินกำหนดแจ้งผล: 1 เรื่อง" in message
    uris = [action["uri"] for action in buttons(line)]
    assert uris == [
        f"http://testserver{ADMIN_URL}?since=2030-01-08",
        f"http://testserver{ADMIN_URL}?officer=none&open=yes",
        f"http://testserver{ADMIN_URL}?due_by=2030-01-14",
        f"http://testserver{ADMIN_URL}?overdue=yes",
    ]


def test_no_digest_on_a_holiday_and_none_for_who_turned_it_off(supervisor):
    line = link_line(supervisor)
    ServiceHoliday.objects.create(date=WED, name="วันหยุดทดสอบ")
    send_morning_digest(today=WED)
    AlertPreference.objects.create(user=supervisor, morning_digest=False)
    send_morning_digest(today=THU)
    assert texts(line) == []


def test_the_digest_links_open_the_lists_they_count(client, supervisor):
    grant_officer_screen_permissions()
    client.force_login(supervisor)
    soon = due_on(datetime.date.today() + datetime.timedelta(days=2))
    due_on(datetime.date.today() + datetime.timedelta(days=9))
    since = datetime.date.today().isoformat()

    page = client.get(
        ADMIN_URL, {"due_by": (datetime.date.today() + datetime.timedelta(days=3)).isoformat()}
    )
    assert row_order(page) == [soon.tracking_number]
    assert client.get(ADMIN_URL, {"since": since}).status_code == 200
    assert client.get(ADMIN_URL, {"open": "yes", "officer": "none"}).status_code == 200
    assert client.get(ADMIN_URL, {"due_by": "not-a-day"}).status_code in (302, 400)


# The weekly summary ----------------------------------------------------------------------------


def test_executives_get_the_seven_figures_once_a_week():
    executive = StaffFactory(role=Role.EXECUTIVE)
    quiet = StaffFactory(role=Role.EXECUTIVE)
    AlertPreference.objects.create(user=quiet, weekly_summary=False)
    line, quiet_line = link_line(executive), link_line(quiet)
    ComplaintFactory(), ComplaintFactory(state=State.COMPLETED)
    today = datetime.date.today()

    send_weekly_summary(today=today)
    send_weekly_summary(today=today)

    [message] = texts(line)
    figures = dashboard_figures(filters=Filters.for_fiscal_year(fiscal_year_of(today)))
    assert f"๑. จำนวนเรื่องร้องเรียนทั้งหมด: {figures.total} เรื่อง" in message
    assert f"๒. จำนวนเรื่องร้องเรียนที่ดำเนินการเสร็จสิ้น: {figures.completed} เรื่อง" in message
    for number in "๓๔๕๖๗":
        assert f"{number}. " in message
    assert "/dashboard/" in message
    assert texts(quiet_line) == []
    send_weekly_summary(today=today + datetime.timedelta(days=7))
    assert len(texts(line)) == 2


# Preferences and the commands -----------------------------------------------------------------


def test_staff_turn_alerts_off_on_their_profile_page(client, supervisor):
    client.force_login(supervisor)
    page = client.get("/accounts/profile/").content.decode()
    assert "การแจ้งเตือนทาง LINE" in page
    assert 'name="deadline_alerts"' in page and 'name="morning_digest"' in page
    assert 'name="weekly_summary"' not in page

    response = client.post("/alerts/preferences/", {"deadline_alerts": "on"})

    assert response.status_code == 302
    preference = AlertPreference.objects.get(user=supervisor)
    assert preference.deadline_alerts and not preference.morning_digest
    assert preference.weekly_summary  # not theirs to change

    client.force_login(CitizenFactory().user)
    assert client.post("/alerts/preferences/", {}).status_code == 404


def test_the_daily_command_reports_and_sends_nothing_twice(capsys, officer):
    line = link_line(officer)
    due_on(TUE, assigned_officer=officer)

    call_command("alerts_daily", date=WED.isoformat())
    call_command("alerts_daily", date=WED.isoformat())
    call_command("alerts_weekly", date=WED.isoformat())

    out = capsys.readouterr().out
    assert "deadlines: messages/cases overdue=1/1" in out
    assert "deadlines: messages/cases none" in out
    assert len(texts(line)) == 1
