"""Build tooling of the book (not science): chapter order, execution measurements, the
Sphinx extension, budgets, building one chapter, and the published notebooks."""
