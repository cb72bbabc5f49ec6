"""Every Monday (ddc-alerts-weekly.timer, 08:00 Bangkok): the executives' weekly summary in
LINE, the seven figures of the dashboard. Safe to run again the same week."""

from django.core.management.base import BaseCommand

from alerts.management.commands.alerts_daily import _day
from alerts.services import send_weekly_summary


class Command(BaseCommand):
    help = "สรุปตัวเลขประจำสัปดาห์ให้ผู้บริหาร ทาง LINE"

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="the Bangkok day to run for (YYYY-MM-DD); today if not given"
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="hand the work to the task worker"
        )

    def handle(self, *args, date=None, enqueue=False, **options):
        if enqueue:
            from alerts.tasks import weekly_summary_task

            result = weekly_summary_task.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        self.stdout.write(f"weekly summary: {send_weekly_summary(today=_day(date)).line()}")
