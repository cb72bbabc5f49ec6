from django.core.management.base import BaseCommand

from core.robot_check import used_challenges_clean


class Command(BaseCommand):
    help = "Forget not-a-robot answers whose challenge has expired (run daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"Forgot {used_challenges_clean()} expired not-a-robot answers.")
