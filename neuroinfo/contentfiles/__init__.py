"""Content files: the shipped guide as Markdown + front matter, loaded and exported.

``schema`` says which fields each kind (``neuroinfo.kinds``) has in its files,
``files`` reads and writes one file, ``scan`` finds a tree's files, ``frontmatter``
reads an item's files into a plain record, ``records`` reads one from the database,
``writer`` writes one back, ``validation`` checks its values by the models' own rules,
``tree`` checks the rules across files, and ``loader`` / ``exporter`` do the whole
tree. The management commands are thin wrappers.
"""
