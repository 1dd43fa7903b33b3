"""Write the database back to content files."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from neuroinfo.contentfiles.exporter import export_tree


class Command(BaseCommand):
    help = (
        "Write every item to <folder>/<language>/<kind>/<key>.md (default: content/)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "folder", nargs="?", type=Path, help="content folder (default: content/)"
        )

    def handle(self, *args, folder: Path | None, **options) -> None:
        root = folder or settings.CONTENT_DIR
        written, removed = export_tree(root)
        self.stdout.write(
            f"Wrote {len(written)} files to {root}; removed {len(removed)}."
        )
        for path in removed:
            self.stdout.write(f"  Removed: {path}")
