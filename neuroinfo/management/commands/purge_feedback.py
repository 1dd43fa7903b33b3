"""Delete "Was this page helpful?" answers older than FEEDBACK_RETENTION_DAYS.

The privacy page promises families how long answers are kept; running this daily
(cron) is what keeps that promise.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from neuroinfo.models import Feedback


class Command(BaseCommand):
    help = (
        "Delete feedback answers older than FEEDBACK_RETENTION_DAYS "
        "(NEUROINFO_FEEDBACK_RETENTION_DAYS, default 730). Run daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="only count the answers that would be deleted",
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        days = settings.FEEDBACK_RETENTION_DAYS
        if days < 1:  # a typo must not delete every answer
            raise CommandError("FEEDBACK_RETENTION_DAYS must be 1 or more.")
        cutoff = timezone.now() - timedelta(days=days)
        old = Feedback.objects.filter(created_at__lt=cutoff)
        if dry_run:
            count = old.count()
            self.stdout.write(
                f"Would delete {count} feedback answers older than {days} days."
            )
            return
        count, _by_model = old.delete()
        self.stdout.write(f"Deleted {count} feedback answers older than {days} days.")
