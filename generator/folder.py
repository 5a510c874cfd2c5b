"""Folder adapter: the :class:`~generator.site.Site` as a docs tree any engine can build.

``factsite build --out DIR`` writes::

    DIR/mkdocs.yml   the project's mkdocs.yml, for this tree: docs_dir docs, custom_dir
                     overrides, without the factsite plugin, site_url resolved
    DIR/docs/        every page as Markdown (front matter: title, description, JSON-LD, the
                     edit link) and every asset (open data, feeds, redirects, ratings CSS)
    DIR/overrides/   the project's theme overrides, plus the edit button reading the page's
                     edit link (the page's source is a record in content/, not its .md file)

Zensical builds it as it is (``cd DIR && zensical build``). Zensical resolves relative
links inside raw HTML from the page's Markdown file, as it does Markdown links, so the tree's
pages link that way (:attr:`SiteOptions.links_from_source`); with ``use_directory_urls:
false`` that is also where a page's URL is, so any engine gets working links.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import yaml

from .site import Page, Site, front_matter_text
from .staging import StagedFolder

PLUGIN = "factsite"
ENGINE_OVERRIDES = Path(__file__).parent / "templates" / "engine"


class ConfigError(ValueError):
    """The project's mkdocs.yml can't be read or adapted (message names the problem)."""


def read_config(path: Path) -> dict[str, Any]:
    """The project's mkdocs.yml as data, ``!ENV`` values resolved as MkDocs does."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings")
    return data


class _ConfigLoader(yaml.SafeLoader):
    """Safe YAML plus MkDocs' ``!ENV NAME`` / ``!ENV [NAME, …, default]``."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        values = loader.construct_sequence(node)
        names, default = values[:-1], values[-1] if len(values) > 1 else None
    else:
        names, default = [loader.construct_scalar(node)], None  # type: ignore[arg-type]
    return next((os.environ[name] for name in names if name in os.environ), default)


_ConfigLoader.add_constructor("!ENV", _env)


def tree_config(config: dict[str, Any], use_directory_urls: bool) -> dict[str, Any]:
    """The settings for the docs tree: the project's, pointed at the tree's folders and
    without the factsite plugin (the pages are already there)."""
    tree = dict(config)
    tree.update(docs_dir="docs", site_dir="site", use_directory_urls=use_directory_urls,
                edit_uri="")  # edit links are per page (page.meta.edit_url)
    tree["theme"] = {**(config.get("theme") or {}), "custom_dir": "overrides"}
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        tree["plugins"] = {k: v for k, v in plugins.items() if k != PLUGIN}
    else:
        tree["plugins"] = [p for p in plugins if p != PLUGIN and
                           not (isinstance(p, dict) and PLUGIN in p)]
    return tree


def edit_url(config: dict[str, Any], source: str) -> str | None:
    """The edit link MkDocs gives a page whose ``File.edit_uri`` is ``source``."""
    repo_url, edit_uri = config.get("repo_url") or "", config.get("edit_uri") or ""
    template = config.get("edit_uri_template")
    if template:
        uri = template.format(path=source, path_noext=os.path.splitext(source)[0])
    elif edit_uri:
        uri = (edit_uri if edit_uri.endswith("/") else edit_uri + "/") + source
    else:
        return None
    if repo_url and not repo_url.endswith("/") and not uri.startswith(("?", "#")):
        repo_url += "/"
    return urljoin(repo_url, uri)


def tree_page(page: Page, config: dict[str, Any]) -> str:
    """A page's Markdown file in the tree: its front matter with the edit link."""
    link = edit_url(config, page.source) if page.source else None
    meta = {**page.meta, "edit_url": link} if link else page.meta
    return front_matter_text(meta) + page.body


def write_tree(site: Site, config: dict[str, Any], project: Path, out: Path,
               use_directory_urls: bool) -> None:
    """Write the docs tree into ``out``, swapped in whole once written (a failure leaves
    ``out`` as it was)."""
    staged = StagedFolder.beside(out)
    try:
        docs = staged.staging / "docs"
        for page in site.pages:
            _write(docs / page.path, tree_page(page, config).encode("utf-8"))
        for asset in site.assets:
            _write(docs / asset.path, asset.data())
        custom_dir = (config.get("theme") or {}).get("custom_dir")
        overrides = staged.staging / "overrides"
        if custom_dir and (project / custom_dir).is_dir():
            shutil.copytree(project / custom_dir, overrides)
        shutil.copytree(ENGINE_OVERRIDES, overrides, dirs_exist_ok=True)
        settings = yaml.safe_dump(tree_config(config, use_directory_urls), sort_keys=False,
                                  allow_unicode=True)
        (staged.staging / "mkdocs.yml").write_text(settings, encoding="utf-8")
    except BaseException:
        staged.discard()
        raise
    staged.commit()


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
