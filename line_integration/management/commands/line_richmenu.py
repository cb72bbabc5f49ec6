"""Create or update the three rich menus on LINE (or the local stand-in); safe to re-run."""

import time

import urllib3
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from line_integration import richmenu


class Command(BaseCommand):
    help = "Sync the citizen, officer and executive rich menus, their aliases and the default."

    def add_arguments(self, parser):
        parser.add_argument(
            "--prune",
            action="store_true",
            help="delete older versions of our menus after switching aliases",
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=0,
            metavar="SECONDS",
            help="keep retrying this long while the LINE host is not up yet",
        )
        parser.add_argument(
            "--save-images",
            metavar="DIR",
            help="also write the three PNGs to DIR (to look at them)",
        )

    def handle(self, *args, **options):
        if options["save_images"]:
            for role in richmenu.ROLES:
                path = f"{options['save_images'].rstrip('/')}/richmenu-{role}.png"
                with open(path, "wb") as out:
                    out.write(richmenu.draw_menu(role))
                self.stdout.write(f"wrote {path}")
        deadline = time.monotonic() + options["wait"]
        while True:
            try:
                richmenu.sync_rich_menus(prune=options["prune"], log=self.stdout.write)
                break
            except urllib3.exceptions.HTTPError as exc:
                if time.monotonic() >= deadline:
                    raise CommandError(
                        f"LINE API at {settings.LINE_API_HOST} did not answer: {exc}"
                    ) from exc
                time.sleep(0.5)
        self.stdout.write(self.style.SUCCESS(f"Rich menus are in sync on {settings.LINE_API_HOST}"))
