"""Deliver LINE messages that are due: retries, and rows left behind by a stopped worker.

The task worker re-enqueues retries itself (the database backend supports run_after); run
this from cron every minute or two as a safety net, or once by hand after an outage.
"""

from django.core.management.base import BaseCommand

from line_integration.outbox import deliver_due


class Command(BaseCommand):
    help = "ส่งข้อความ LINE ที่ถึงกำหนดส่ง (รวมข้อความที่รอส่งซ้ำ)"

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=200)

    def handle(self, *args, limit: int, **options):
        outcomes = deliver_due(limit=limit)
        summary = ", ".join(f"{k}={v}" for k, v in sorted(outcomes.items())) or "nothing due"
        self.stdout.write(summary)
