"""The book's repository: one setting, everything else derived from it.

``repository.url`` in ``_config.yml`` (``https://github.com/<owner>/<name>``) is the one
place that names it. Jupyter Book derives the launch buttons (Binder, Colab) and the
repository and issue links from it; the Colab cells (:mod:`qmlhep.tooling.notebooks`)
install from it; ``pyproject.toml``'s URLs, the citation file and the README name it too,
and a test checks that they all agree.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

GITHUB = re.compile(r"^https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)$")
BRANCHES = {"main", "master", "HEAD", "gh-pages", "develop"}


def url(root: Path) -> str:
    """``https://github.com/<owner>/<name>`` from ``_config.yml``, validated."""
    value = yaml.safe_load((Path(root) / "_config.yml").read_text())["repository"]["url"]
    if not GITHUB.match(value):
        raise ValueError(
            f"_config.yml: repository.url {value!r} is not https://github.com/<owner>/<name>"
        )
    return value


def slug(root: Path) -> str:
    """``<owner>/<name>``."""
    return "/".join(GITHUB.match(url(root)).groups())


def pages_url(root: Path) -> str:
    """Where GitHub Pages publishes the book: ``https://<owner>.github.io/<name>``."""
    owner, name = GITHUB.match(url(root)).groups()
    return f"https://{owner.lower()}.github.io/{name}"


def version(root: Path) -> str:
    return tomllib.loads((Path(root) / "pyproject.toml").read_text())["project"]["version"]


def release_tag(root: Path) -> str:
    """The tag of the package's version, ``v<version>``."""
    return f"v{version(root)}"


def check_ref(ref: str) -> str:
    """``ref`` if it is a tag or commit, else a ValueError: installs never follow a branch."""
    if ref in BRANCHES or not re.fullmatch(r"[A-Za-z0-9_.\-]+", ref):
        raise ValueError(
            f"ref {ref!r} is a branch or not a ref name: pin a tag (v1.2.3, "
            "book-<sha>) or a commit sha."
        )
    return ref
