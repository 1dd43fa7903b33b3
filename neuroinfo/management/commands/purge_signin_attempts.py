"""Delete staff sign-in records older than SIGNIN_RETENTION_DAYS.

django-axes keeps every sign-in attempt (user name, address, browser) until something
deletes it; the privacy page states how long they are kept, and running this daily
(cron) keeps that promise. The sign-in and failure logs are removed by axes's own
handler, as its `axes_reset_logs` and `axes_reset_failure_logs` commands do, but with
the period from settings in one command. Axes has no such removal by age for its
failed-attempt counters (AccessAttempt, dated by their latest failure), so they are
deleted here; by then they no longer count towards a lockout.
"""

from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Delete sign-in attempts and logs older than SIGNIN_RETENTION_DAYS "
        "(NEUROINFO_SIGNIN_RETENTION_DAYS, default 30). Run daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="only count the records that would be deleted",
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        days = settings.SIGNIN_RETENTION_DAYS
        if days < 1:  # a typo must not wipe the lockout counters every day
            raise CommandError("SIGNIN_RETENTION_DAYS must be 1 or more.")
        cool_off = settings.AXES_COOLOFF_TIME
        if isinstance(cool_off, timedelta) and timedelta(days=days) < cool_off:
            raise CommandError(
                "SIGNIN_RETENTION_DAYS is shorter than the lockout (AXES_COOLOFF_TIME):"
                " deleting attempts would lift lockouts early."
            )
        cutoff = timezone.now() - timedelta(days=days)
        if dry_run:
            counts = [
                model.objects.filter(attempt_time__lte=cutoff).count()
                for model in (AccessAttempt, AccessLog, AccessFailureLog)
            ]
            self.stdout.write(self.summary("Would delete", days, *counts))
            return
        with transaction.atomic():
            _total, by_model = AccessAttempt.objects.filter(
                attempt_time__lte=cutoff
            ).delete()  # with their expiry rows, not counted
            attempts = by_model.get(AccessAttempt._meta.label, 0)
            logs = AxesProxyHandler.reset_logs(age_days=days)
            failures = AxesProxyHandler.reset_failure_logs(age_days=days)
        self.stdout.write(self.summary("Deleted", days, attempts, logs, failures))

    @staticmethod
    def summary(verb: str, days: int, attempts: int, logs: int, failures: int) -> str:
        return (
            f"{verb} {attempts + logs + failures} sign-in records older than {days} "
            f"days ({attempts} attempt counters, {logs} sign-in log entries, "
            f"{failures} failure log entries)."
        )
