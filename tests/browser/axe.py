"""axe-core (vendored in vendor/axe.min.js) run inside the page under test, and the per-page tally.

The page's Content-Security-Policy allows only the site's own scripts, so the contexts that run axe are
opened with ``bypass_csp=True``; the journeys run with the policy in force.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

AXE_SOURCE = Path(__file__).parent / "vendor" / "axe.min.js"
IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = ("critical", "serious")

RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map(v => ({
    rule: v.id, impact: v.impact || 'minor', help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => n.target.join(' ')),
  }));
}"""


@dataclass
class Violation:
    rule: str
    impact: str
    help: str
    helpUrl: str
    nodes: list[str]

    def describe(self) -> str:
        return f"[{self.impact}] {self.rule}: {self.help} ({len(self.nodes)} element(s): {', '.join(self.nodes[:5])})"


@dataclass
class PageResult:
    page: str
    url: str
    violations: list[Violation] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many rules each impact level has violated on the page."""
        return {impact: sum(1 for v in self.violations if v.impact == impact) for impact in IMPACTS}

    def blocking(self) -> list[Violation]:
        return [v for v in self.violations if v.impact in BLOCKING]


def check_page(page: Any, name: str) -> PageResult:
    """Inject axe-core into the page (once) and return its violations, every rule but the experimental ones."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SOURCE))
    found = [Violation(**item) for item in page.evaluate(RUN_AXE)]
    return PageResult(page=name, url=page.url, violations=found)


class AxeReport:
    """Every page's result, written to ``axe-results.json`` and shown in the terminal summary."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.results: list[PageResult] = []

    @classmethod
    def read(cls, path: Path) -> AxeReport:
        """The report another process (a pytest-xdist worker) wrote."""
        report = cls(path)
        for page in json.loads(path.read_text())["pages"]:
            violations = [Violation(**v) for v in page["violations"]]
            report.results.append(PageResult(page=page["page"], url=page["url"], violations=violations))
        return report

    def add(self, result: PageResult) -> None:
        self.results = [r for r in self.results if r.page != result.page] + [result]
        self.write()

    def write(self) -> None:
        data = {
            "axe_core": "4.14.1",
            "pages": [
                {"page": r.page, "url": r.url, "counts": r.counts(), "violations": [asdict(v) for v in r.violations]}
                for r in self.results
            ],
        }
        self.path.write_text(json.dumps(data, indent=2) + "\n")

    def table(self) -> list[str]:
        lines = [f"{'page':<44} " + " ".join(f"{impact:>8}" for impact in IMPACTS)]
        for result in self.results:
            counts = result.counts()
            lines.append(f"{result.page:<44} " + " ".join(f"{counts[impact]:>8}" for impact in IMPACTS))
        lines.append(f"(rules violated per page, by impact; details in {self.path})")
        return lines
