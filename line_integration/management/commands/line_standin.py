"""Run the local LINE Platform stand-in in the foreground (one of `make run`'s processes)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from line_integration.standin import start_standin


class Command(BaseCommand):
    help = "Serve the local LINE Messaging API stand-in (no network needed)."

    def add_arguments(self, parser):
        site = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=settings.LINE_STANDIN_PORT)
        parser.add_argument(
            "--webhook-url",
            default=f"{site}/line/webhook/",
            help="where simulated users' webhook events are posted",
        )
        parser.add_argument(
            "--simulator-url",
            default=f"{site}/dev/line/",
            help="where the account-link page sends the user back",
        )
        parser.add_argument("--verbose", action="store_true", help="log every HTTP request")

    def handle(self, *args, **options):
        if not settings.LINE_USE_STANDIN:
            self.stderr.write(
                self.style.WARNING(
                    "LINE_CHANNEL_ACCESS_TOKEN is set: the site talks to the real LINE Platform, "
                    "not to this stand-in."
                )
            )
        server = start_standin(
            port=options["port"],
            host=options["host"],
            access_token=settings.LINE_CHANNEL_ACCESS_TOKEN,
            channel_secret=settings.LINE_CHANNEL_SECRET,
            webhook_url=options["webhook_url"],
            simulator_url=options["simulator_url"],
            verbose=options["verbose"],
            login_channel_id=settings.LINE_LOGIN_CHANNEL_ID,
            login_channel_secret=settings.LINE_LOGIN_CHANNEL_SECRET,
        )
        self.stdout.write(self.style.SUCCESS(f"LINE stand-in listening on {server.url}"))
        self.stdout.write(f"  webhook events go to {options['webhook_url']}")
        self.stdout.write(f"  control endpoints:  {server.url}/__standin/")
        self.stdout.write(f"  phone simulator:    {options['simulator_url']}")
        self.stdout.flush()
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
