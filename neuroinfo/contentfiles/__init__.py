"""Content files: the shipped guide as Markdown + front matter, loaded and exported.

``schema`` says which fields each kind has, ``files`` reads and writes one file,
``scan`` finds a tree's files, ``records`` moves an item between the database and a
plain record, ``validation`` checks its values by the models' own rules, and
``loader`` / ``exporter`` do the whole tree. The management commands are thin wrappers.
"""
