"""Search of published content in the reader's language.

The index is built in Python from the stored fields, not with the database's full-text
search, so SQLite and PostgreSQL give the same results for the same content by
construction (BENCHMARKS.md, "Search at scale", measures when PostgreSQL should take
over). The modules, in the order a query meets them:

- ``text``: words as the index sees them (fold accents, Snowball stem, stop words);
- ``documents``: what is searchable, read from the published content;
- ``index``: the compact index (integer postings in arrays) and its serialised form;
- ``sharing``: one build per content generation for every worker, through the cache;
- ``ranking``: BM25 per field, all the query's words first, then reading order;
- ``spelling``: "Did you mean …?" from the index's own vocabulary;
- ``snippets``: the marked extract shown under each result;
- ``view``: the page, ten results at a time.
"""
