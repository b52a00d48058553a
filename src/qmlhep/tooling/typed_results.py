"""Find results typed into a chapter's prose instead of computed from the run.

A sentence that states an outcome must come from the numbers (a code cell that prints
Markdown), so that it is right for every outcome. :func:`typed_results` scans the prose of
a MyST chapter — outside code cells, math, inline code, roles, directives' options and
front matter — for what looks like a typed result:

* a decimal number (``0.87``, ``1.5``), or a list of numbers (``27, 45, 63``);
* a count of what a run produces (``27 parameters``, ``5,000 events``, ``16 epochs``);
* a comparison word (``better``, ``worse``, ``above``, ``below``, ``beats``,
  ``outperforms``) within a few words of a number;
* a claim of convergence (``converged``, ``to convergence``) that no run computed;
* in code cells, a decimal number typed inside a string (what the cell prints as text).

Exercises and their solutions (sphinx-exercise's ``exercise`` and ``solution``) are not
scanned: their numbers are a problem's givens and its worked arithmetic.

What is a method constant or a published value (a paper's AUC, a gate angle, the size of
a fixed test set) is allowed explicitly, chapter by chapter, in
``tests/tooling/typed_results_allowed.yml``, each with the reason it may be typed.
``python -m qmlhep.tooling.typed_results book`` lists what it finds.
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

NUMBER = r"\d[\d,]*(?:\.\d+)?"
RULES: dict[str, re.Pattern] = {
    "decimal": re.compile(r"(?<![\w.])\d+\.\d+(?!\w)(?!\.\d)"),
    "count": re.compile(
        rf"(?<![\w.×]){NUMBER}\s+(?:(?:trainable|free|hardest|leading|training|test|signal|"
        r"background|quark|gluon|more|fewer)\s+)?"
        r"(?:parameters?|events?|jets?|epochs?|seeds?|particles?|images?)\b",
        re.I,
    ),
    "list": re.compile(r"(?<![\w.×])\d+(?:, \d+)+,? (?:and )?\d+(?![\w.])|\(\d+, \d+, \d+\)"),
    "comparison": re.compile(
        rf"\b(?:better|worse|above|below|beats?|outperform\w*|higher|lower)\b"
        rf"[^.\n]{{0,40}}?(?<![\w.]){NUMBER}"
        rf"|(?<![\w.]){NUMBER}[^.\n]{{0,40}}?\b(?:better|worse|beats?|outperform\w*)\b",
        re.I,
    ),
    "convergence": re.compile(r"\b(?:converged|to convergence)\b", re.I),
}


@dataclass(frozen=True)
class Finding:
    """One typed result: where, which rule, the matched text and its line."""

    chapter: str
    line: int
    rule: str
    text: str
    context: str


def prose_lines(text: str) -> list[tuple[int, str]]:
    """``(line number, prose)`` of a MyST chapter, with code cells, fenced blocks, front
    matter, display math and directive options removed, and inline math, inline code,
    roles and link targets blanked."""
    lines = text.split("\n")
    out: list[tuple[int, str]] = []
    fence: str | None = None
    fence_is_prose = False
    in_math = False
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0) + 1
    for i in range(start, len(lines)):
        line = lines[i]
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence) and stripped.strip("`~") == "":
                fence = None
            elif not fence_is_prose:
                continue
            else:
                if stripped.startswith(":") or not stripped:
                    continue
                out.append((i + 1, _blank_inline(line)))
            continue
        match = re.match(r"^(`{3,}|~{3,})\s*(\{[\w-]+\})?", stripped)
        if match:
            fence = match.group(1)
            directive = match.group(2) or ""
            # admonitions and notes hold prose; code cells, math and the rest do not, and
            # neither do exercises and their solutions: worked problems whose numbers are
            # given or derived on paper, not results of the run
            fence_is_prose = directive in (
                "{admonition}",
                "{note}",
                "{tip}",
                "{warning}",
                "{important}",
                "{hint}",
                "{seealso}",
                "{caution}",
                "{attention}",
            )
            continue
        if stripped.startswith("$$"):
            if not (stripped.endswith("$$") and len(stripped) > 2):
                in_math = not in_math
            continue
        if in_math or stripped.startswith(("+++", "<!--", "|", "#!")):
            continue
        out.append((i + 1, _blank_inline(line)))
    return out


def _blank_inline(line: str) -> str:
    line = re.sub(r"`[^`]*`", " ", line)  # inline code and roles' targets
    line = re.sub(r"\{[\w:-]+\}", " ", line)  # role names
    line = re.sub(r"\$[^$]*\$", " ", line)  # inline math
    line = re.sub(r"\]\([^)]*\)", "]", line)  # link targets
    line = re.sub(r"\b(?:doi|arXiv)[:\s]\S+", " ", line, flags=re.I)
    return line


def code_strings(text: str) -> list[tuple[int, str]]:
    """``(line number, text)`` of every string literal in the chapter's code cells, with
    the replacement fields of f-strings blanked (what a cell prints as typed text)."""
    out: list[tuple[int, str]] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].strip().startswith("```{code-cell}"):
            i += 1
            continue
        start = i + 1
        i = start
        while i < len(lines) and not lines[i].strip().startswith("```"):
            i += 1
        kept = [x for x in lines[start:i] if not x.lstrip().startswith((":", "%", "!"))]
        source = "\n".join(kept)
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        except (tokenize.TokenError, SyntaxError, IndentationError):
            continue
        for tok in tokens:
            if tok.type == tokenize.STRING:
                body = re.sub(r"\{[^{}]*\}", " ", tok.string)
                out.append((start + tok.start[0], body))
    return out


DECIMAL_IN_CODE = re.compile(r"(?<![\w.:])\d+\.\d+(?!\w)(?!\.\d)")


def typed_results(path: Path, root: Path) -> list[Finding]:
    """Every finding of :data:`RULES` in one chapter's prose, and every decimal typed into
    a string of its code cells (``root``-relative name)."""
    name = path.relative_to(root).with_suffix("").as_posix()
    text = path.read_text()
    found = []
    for number, line in prose_lines(text):
        for rule, pattern in RULES.items():
            for m in pattern.finditer(line):
                found.append(Finding(name, number, rule, m.group(0).strip(), line.strip()))
    for number, string in code_strings(text):
        for m in DECIMAL_IN_CODE.finditer(string):
            found.append(Finding(name, number, "code-string", m.group(0), string.strip()))
    return found


def not_allowed(findings: list[Finding], allowed: dict[str, list[dict]]) -> list[Finding]:
    """The findings that no entry of ``allowed`` (chapter → ``[{text, why}]``) covers."""
    return [
        f
        for f in findings
        if not any(entry["text"] in f.context for entry in allowed.get(f.chapter, []))
    ]


def main(argv: list[str] | None = None) -> int:
    root = Path(argv[0] if argv else "book").resolve()
    findings = [f for p in sorted(root.rglob("*.md")) for f in typed_results(p, root.parent)]
    for f in findings:
        print(f"{f.chapter}:{f.line}: [{f.rule}] {f.text!r} in: {f.context}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
