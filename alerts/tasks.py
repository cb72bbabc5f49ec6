"""The staff alerts as tasks for the worker (``manage.py db_worker``); the timers in
deploy/systemd run the same work through ``manage.py alerts_daily`` / ``alerts_weekly``."""

from django_tasks import task


@task()
def daily_alerts_task() -> str:
    from alerts.services import send_deadline_alerts, send_morning_digest

    return f"{send_deadline_alerts().line()}; {send_morning_digest().line()}"


@task()
def weekly_summary_task() -> str:
    from alerts.services import send_weekly_summary

    return send_weekly_summary().line()
