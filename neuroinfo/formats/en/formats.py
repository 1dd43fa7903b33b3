"""English date format for families: "November 27, 2026" rather than "Nov. 27, 2026"."""

DATE_FORMAT = "F j, Y"
