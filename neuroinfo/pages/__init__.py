"""Pages for families: the builders that turn an item and the outline into a page
(``builders``), the public views (``views``) and the staff previews (``previews``)."""
