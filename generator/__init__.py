"""factsite: static fact-check publishing (pure core; no MkDocs import outside mkdocs_plugin)."""
