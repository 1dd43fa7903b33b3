"""The test suite (a package, so `tests.helpers` is ours, not another distribution's)."""
