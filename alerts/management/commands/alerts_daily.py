"""Every morning (ddc-alerts-daily.timer, 07:30 Bangkok): deadline alerts to officers and
supervisors, and the supervisors' morning digest, in LINE. Safe to run again the same day: it
sends only what was not sent yet. Nothing on weekends and public holidays."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from alerts.services import send_deadline_alerts, send_morning_digest


class Command(BaseCommand):
    help = "แจ้งเตือนเรื่องใกล้ครบกำหนด/เกินกำหนด และสรุปประจำเช้าให้หัวหน้างาน ทาง LINE"

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="the Bangkok day to run for (YYYY-MM-DD); today if not given"
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="hand the work to the task worker"
        )

    def handle(self, *args, date=None, enqueue=False, **options):
        if enqueue:
            from alerts.tasks import daily_alerts_task

            result = daily_alerts_task.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        day = _day(date)
        self.stdout.write(f"deadlines: {send_deadline_alerts(today=day).line()}")
        self.stdout.write(f"morning digest: {send_morning_digest(today=day).line()}")


def _day(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError("--date is YYYY-MM-DD") from error
