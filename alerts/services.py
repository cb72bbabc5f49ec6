"""Sending the staff alerts: every run works out what is due today and sends only what was not
sent yet, so running a job twice on a day (a timer retried, someone by hand) sends nothing twice.

- Deadline soon: each open case whose report-back day is at most three Bangkok working days
  away goes to its assigned officer once per deadline (a reopened case has a new one).
- Overdue: each open case past its day goes to its assigned officer and to every supervisor,
  once per case per day, on working days.
- Morning digest (working days): supervisors get four numbers (new since the previous working
  day, unassigned, due within three working days, overdue), each a button to that list.
- Weekly summary: executives get the seed's seven figures for the fiscal year so far, once a
  week.
One person's cases of one kind go in one message; ``AlertSent`` keeps a row per case (or
digest), day and person, written in the transaction that queues the message in the outbox,
whose dedupe key (and LINE retry key) keeps a retried delivery from arriving twice. Whoever
turned a kind off (``AlertPreference``) or has no linked LINE account gets nothing.
"""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse

from accounts.roles import Role, members_of
from alerts import messages
from alerts.models import AlertPreference, AlertSent
from alerts.workdays import Calendar
from complaints.clock import local_date, start_of_day
from complaints.deadlines import due_date
from complaints.models import Complaint
from dashboard.forms import Filters
from dashboard.periods import fiscal_year_of
from dashboard.selectors import dashboard_figures
from line_integration import messages as msg
from line_integration.outbox import enqueue_to_user

WARN_WORKING_DAYS = 3
KEEP_DAYS = 40
PURPOSE = "alerts.staff"
Kind = AlertSent.Kind
PREFERENCE_OF = {
    Kind.DEADLINE_SOON: "deadline_alerts",
    Kind.OVERDUE: "deadline_alerts",
    Kind.MORNING_DIGEST: "morning_digest",
    Kind.WEEKLY_SUMMARY: "weekly_summary",
}


@dataclass
class Report:
    """What a run did: messages queued and cases covered, per kind."""

    messages: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    cases: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    skipped: str = ""

    def line(self) -> str:
        if self.skipped:
            return f"skipped: {self.skipped}"
        parts = [
            f"{kind}={self.messages[kind]}/{self.cases[kind]}" for kind in sorted(self.messages)
        ]
        return "messages/cases " + (" ".join(parts) if parts else "none")


def wants(user, kind: str) -> bool:
    preference = AlertPreference.objects.filter(user=user).first()
    return preference is None or getattr(preference, PREFERENCE_OF[kind])


def staff_of(role: Role) -> QuerySet:
    return members_of(role).order_by("pk")


def _send(
    *, user, kind: str, day: datetime.date, keys: list[tuple[str, int | None]], build
) -> bool:
    """Queue one message for ``keys`` not sent yet ({key: complaint id}); True when queued."""
    if not wants(user, kind):
        return False
    with transaction.atomic():
        fresh = [(key, pk) for key, pk in keys if not AlertSent.objects.filter(key=key).exists()]
        if not fresh:
            return False
        fresh_pks = {pk for _key, pk in fresh}
        digest = hashlib.sha1("|".join(key for key, _pk in fresh).encode()).hexdigest()[:16]
        row = enqueue_to_user(
            user=user,
            messages=[build(fresh_pks)],
            purpose=PURPOSE,
            dedupe_key=f"alerts:{kind}:{day.isoformat()}:{user.pk}:{digest}",
        )
        if row is None:  # no linked LINE account (or it blocked us): nothing sent, nothing kept
            return False
        try:
            with transaction.atomic():
                AlertSent.objects.bulk_create(
                    AlertSent(key=key, kind=kind, day=day, user=user, complaint_id=pk, outbound=row)
                    for key, pk in fresh
                )
        except IntegrityError:
            transaction.set_rollback(True)  # another run got there first: its message stands
            return False
    return True


def _open_cases():
    return Complaint.objects.open().select_related(
        "category", "target_district", "assigned_officer"
    )


# Deadlines ------------------------------------------------------------------------------------


def send_deadline_alerts(*, today: datetime.date | None = None) -> Report:
    report = Report()
    today = today or local_date()
    calendar = Calendar(today)
    if not calendar.is_working_day(today):
        report.skipped = "not a working day"
        return report
    last_day = calendar.add_working_days(WARN_WORKING_DAYS)
    soon = list(
        _open_cases()
        .filter(
            assigned_officer__isnull=False,
            report_due_at__gte=start_of_day(today),
            report_due_at__lt=start_of_day(last_day + datetime.timedelta(days=1)),
        )
        .order_by("report_due_at", "pk")
    )
    by_officer = defaultdict(list)
    for case in soon:
        by_officer[case.assigned_officer_id].append(case)
    for officer_id, cases in by_officer.items():
        _deadline_soon_to(officer_id, cases, today=today, last_day=last_day, report=report)
    overdue = list(_open_cases().overdue(start_of_day(today)).order_by("report_due_at", "pk"))
    _overdue_to_everyone(overdue, today=today, report=report)
    prune(today=today)
    return report


def _deadline_soon_to(officer_id, cases, *, today, last_day, report) -> None:
    officer = get_user_model().objects.get(pk=officer_id)
    keys = [
        (f"{Kind.DEADLINE_SOON}:{case.pk}:{due_date(case).isoformat()}:{officer.pk}", case.pk)
        for case in cases
    ]
    list_url = messages.admin_list_url(officer=officer.pk, due_by=last_day.isoformat())

    def build(pks):
        return messages.deadline_soon_message([c for c in cases if c.pk in pks], list_url=list_url)

    if _send(user=officer, kind=Kind.DEADLINE_SOON, day=today, keys=keys, build=build):
        report.messages[Kind.DEADLINE_SOON] += 1
        report.cases[Kind.DEADLINE_SOON] += len(cases)


def _overdue_to_everyone(overdue: list, *, today, report) -> None:
    supervisors = list(staff_of(Role.SUPERVISOR))
    recipients = defaultdict(list)  # user id -> (user, cases, as_supervisor)
    people = {}
    for case in overdue:
        if case.assigned_officer_id:
            people[case.assigned_officer_id] = case.assigned_officer
            recipients[(case.assigned_officer_id, False)].append(case)
        for supervisor in supervisors:
            if supervisor.pk == case.assigned_officer_id:
                continue
            people[supervisor.pk] = supervisor
            recipients[(supervisor.pk, True)].append(case)
    for (user_id, as_supervisor), cases in recipients.items():
        user = people[user_id]
        keys = [(f"{Kind.OVERDUE}:{c.pk}:{today.isoformat()}:{user_id}", c.pk) for c in cases]
        filters = {"overdue": "yes"} if as_supervisor else {"officer": user_id, "overdue": "yes"}
        list_url = messages.admin_list_url(**filters)

        def build(pks, cases=cases, list_url=list_url, as_supervisor=as_supervisor):
            chosen = [c for c in cases if c.pk in pks]
            return messages.overdue_message(chosen, list_url=list_url, as_supervisor=as_supervisor)

        if _send(user=user, kind=Kind.OVERDUE, day=today, keys=keys, build=build):
            report.messages[Kind.OVERDUE] += 1
            report.cases[Kind.OVERDUE] += len(cases)


# The supervisors' morning digest -------------------------------------------------------------


def digest_numbers(*, today: datetime.date, calendar: Calendar) -> tuple[dict, dict, datetime.date]:
    since = calendar.previous_working_day()
    due_by = calendar.add_working_days(WARN_WORKING_DAYS)
    open_cases = Complaint.objects.open()
    counts = {
        "new": Complaint.objects.filter(submitted_at__gte=start_of_day(since)).count(),
        "unassigned": open_cases.filter(assigned_officer__isnull=True).count(),
        "due_soon": open_cases.filter(
            report_due_at__gte=start_of_day(today),
            report_due_at__lt=start_of_day(due_by + datetime.timedelta(days=1)),
        ).count(),
        "overdue": open_cases.overdue(start_of_day(today)).count(),
    }
    urls = {
        "new": messages.admin_list_url(since=since.isoformat()),
        "unassigned": messages.admin_list_url(officer="none", open="yes"),
        "due_soon": messages.admin_list_url(due_by=due_by.isoformat()),
        "overdue": messages.admin_list_url(overdue="yes"),
    }
    return counts, urls, since


def send_morning_digest(*, today: datetime.date | None = None) -> Report:
    report = Report()
    today = today or local_date()
    calendar = Calendar(today)
    if not calendar.is_working_day(today):
        report.skipped = "not a working day"
        return report
    counts, urls, since = digest_numbers(today=today, calendar=calendar)
    message = messages.morning_digest_message(counts, urls, today=today, since=since)
    for supervisor in staff_of(Role.SUPERVISOR):
        key = f"{Kind.MORNING_DIGEST}:{today.isoformat()}:{supervisor.pk}"
        if _send(
            user=supervisor,
            kind=Kind.MORNING_DIGEST,
            day=today,
            keys=[(key, None)],
            build=lambda _pks: message,
        ):
            report.messages[Kind.MORNING_DIGEST] += 1
    return report


# The executives' weekly summary ------------------------------------------------------------


def send_weekly_summary(*, today: datetime.date | None = None) -> Report:
    report = Report()
    today = today or local_date()
    year, week, _weekday = today.isocalendar()
    fiscal_year = fiscal_year_of(today)
    figures = dashboard_figures(
        filters=Filters.for_fiscal_year(fiscal_year), now=start_of_day(today)
    )
    url = msg.site_url(reverse("dashboard:index"))
    message = messages.weekly_summary_message(
        figures, fiscal_year=fiscal_year, week_label=_thai_day(today), url=url
    )
    for executive in staff_of(Role.EXECUTIVE):
        key = f"{Kind.WEEKLY_SUMMARY}:{year}-W{week:02d}:{executive.pk}"
        if _send(
            user=executive,
            kind=Kind.WEEKLY_SUMMARY,
            day=today,
            keys=[(key, None)],
            build=lambda _pks: message,
        ):
            report.messages[Kind.WEEKLY_SUMMARY] += 1
    return report


def _thai_day(day: datetime.date) -> str:
    from core.thai_dates import format_thai_date

    return format_thai_date(day)


# Keeping the record short ----------------------------------------------------------------------


def prune(*, today: datetime.date) -> int:
    """The record only has to outlive the day (or deadline) it guards."""
    deleted, _rows = AlertSent.objects.filter(
        day__lt=today - datetime.timedelta(days=KEEP_DAYS)
    ).delete()
    return deleted


def set_preferences(*, user, deadline_alerts: bool, morning_digest: bool, weekly_summary: bool):
    preference, _created = AlertPreference.objects.update_or_create(
        user=user,
        defaults={
            "deadline_alerts": deadline_alerts,
            "morning_digest": morning_digest,
            "weekly_summary": weekly_summary,
        },
    )
    return preference
