from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.chat import load_demo_chat
from demo.complaints import load_demo_complaints
from demo.news import load_demo_news
from demo.people import DEMO_PASSWORD, load_demo_people


class Command(BaseCommand):
    help = "Load demo accounts (and, as features land, demo news and complaints). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even when DEBUG is off (never on a real production site).",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("Demo data is for development only (DEBUG is off).")
        created = load_demo_people()
        if created:
            self.stdout.write(
                f"Created demo accounts: {', '.join(created)} (password {DEMO_PASSWORD})"
            )
        else:
            self.stdout.write("Demo accounts already present.")
        news = load_demo_news()
        self.stdout.write(
            f"Created {len(news)} demo news items." if news else "Demo news already present."
        )
        complaints = load_demo_complaints()
        self.stdout.write(
            f"Created {complaints} demo complaints."
            if complaints
            else "Demo complaints already present."
        )
        chat = load_demo_chat()
        self.stdout.write(
            f"Created {chat} demo chat items." if chat else "Demo chat already present."
        )
