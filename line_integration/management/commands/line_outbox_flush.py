"""Deliver LINE messages that are due: retries, and rows left behind by a stopped worker; and
answer LINE events left waiting with no worker on them (one whose worker stopped mid-event
holds its chat's next events until the claim is given up, two minutes later).

The task worker re-enqueues retries itself (the database backend supports run_after); run
this from cron every minute or two as a safety net, or once by hand after an outage.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from line_integration.models import WebhookEvent
from line_integration.outbox import deliver_due

EVENTS_FORGOTTEN_AFTER = timedelta(minutes=1)


class Command(BaseCommand):
    help = "ส่งข้อความ LINE ที่ถึงกำหนดส่ง (รวมข้อความที่รอส่งซ้ำ) และตอบเหตุการณ์ที่ค้างอยู่"
    # Cron runs this every minute or two on a machine that serves citizens. Django's system
    # checks load every URL pattern (Wagtail's admin, the LINE SDK behind the views): about two
    # seconds of CPU a run. A deploy runs `check --deploy`; a run with nothing due loads
    # neither those nor the SDK (line_integration.outbox imports it when it sends).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=200)

    def handle(self, *args, limit: int, **options):
        outcomes = deliver_due(limit=limit)
        summary = ", ".join(f"{k}={v}" for k, v in sorted(outcomes.items())) or "nothing due"
        forgotten = WebhookEvent.objects.filter(
            processed_at__isnull=True, received_at__lt=timezone.now() - EVENTS_FORGOTTEN_AFTER
        )
        if forgotten.exists():
            from line_integration import event_worker

            handled = event_worker.run()
            summary += "; events: " + ", ".join(f"{k}={v}" for k, v in sorted(handled.items()))
        self.stdout.write(summary)
