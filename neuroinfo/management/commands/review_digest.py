"""Email each medical reviewer the items whose review is overdue or due soon.

Run daily (cron). Nothing is sent on a day nothing is due, so the email means "act".
"""

from django.core.management.base import BaseCommand, CommandParser

from neuroinfo.adminsite import reviews_due
from neuroinfo.notifications import reviews_due_digest


class Command(BaseCommand):
    help = (
        "Email everyone who may mark content as reviewed the items overdue or due "
        "within REVIEW_DUE_SOON. Sends nothing when nothing is due. Run daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print the emails instead of sending them",
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        due = reviews_due()
        if not due:
            self.stdout.write("No review is overdue or due soon: nothing sent.")
            return
        emails = reviews_due_digest(due, dry_run=dry_run)
        if dry_run:
            for to, subject, body in emails:
                self.stdout.write(f"To: {to}\nSubject: {subject}\n\n{body}")
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(
            f"{verb} {len(emails)} emails listing {len(due)} items due for review."
        )
