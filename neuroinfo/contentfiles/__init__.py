"""Content files: the shipped guide as Markdown + front matter, loaded and exported.

``schema`` says which fields each kind has, ``files`` reads and writes one file,
``records`` moves an item between the database and a plain record, and ``loader`` /
``exporter`` do the whole tree. The management commands are thin wrappers.
"""
