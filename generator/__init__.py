"""factsite: static fact-check publishing (pure core; MkDocs is imported only by the adapter,
mkdocs_plugin and mkdocs_pages)."""
