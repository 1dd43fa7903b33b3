"""Load the content files into the database."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from neuroinfo.contentfiles.loader import LoadFailed, load_tree


class Command(BaseCommand):
    help = (
        "Check every content file, then create or update items by key in one transaction. "
        "Items changed in the admin since the last load are kept unless --force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "folder", nargs="?", type=Path, help="content folder (default: content/)"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="report what would change; write nothing",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="overwrite items that were changed in the admin since the last load",
        )

    def handle(
        self, *args, folder: Path | None, dry_run: bool, force: bool, **options
    ) -> None:
        root = folder or settings.CONTENT_DIR
        try:
            report = load_tree(root, dry_run=dry_run, force=force)
        except LoadFailed as failure:
            for error in failure.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(failure.errors)} problem(s) found in {root}; nothing was "
                "loaded. Fix each file at the line named above, then run it again."
            ) from None
        prefix = "Dry run, nothing written. Would have: " if dry_run else ""
        self.stdout.write(
            f"{prefix}created {len(report.created)}, updated {len(report.updated)}, "
            f"unchanged {len(report.unchanged)}, kept {len(report.kept)}."
        )
        for label, refs in (("Created", report.created), ("Updated", report.updated)):
            for ref in refs:
                self.stdout.write(f"  {label}: {ref}")
        for ref in report.unreadable:
            self.stdout.write(
                self.style.WARNING(
                    f"  Unreadable: {ref} holds a value the database cannot give back; "
                    "left as it is (use --force to repair it from the files)."
                )
            )
        for ref in report.kept:
            self.stdout.write(
                self.style.WARNING(
                    f"  Kept: {ref} was changed in the admin since the last load; "
                    "left as it is (use --force to overwrite it)."
                )
            )
