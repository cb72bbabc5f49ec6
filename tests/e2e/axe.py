"""axe-core in the browser tests: the project's accessibility bar is 0 serious and 0 critical
findings on every page a citizen, an officer or an executive sees.

axe-core is vendored (``vendor/axe-core/axe.min.js``, MPL-2.0, from the npm package of the
version in its header) so the tests run offline. It is evaluated through the DevTools
protocol, which the site's Content-Security-Policy does not govern: no inline script is added
to the page.
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")

_RUN = """async () => {
  const result = await window.axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
  }));
}"""


@dataclass
class AxeReport:
    """The violations axe found on one page, by impact."""

    page: str
    violations: list[dict] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(v["impact"] for v in self.violations)

    @property
    def blocking(self) -> list[dict]:
        return [v for v in self.violations if v["impact"] in BLOCKING]

    def line(self) -> str:
        c = self.counts
        return (
            f"{self.page}: critical={c['critical']} serious={c['serious']} "
            f"moderate={c['moderate']} minor={c['minor']}"
        )

    def describe(self) -> str:
        return "\n".join(
            f"  {v['impact']} {v['id']}: {v['help']} at {', '.join(v['nodes'])}"
            for v in self.violations
        )


def axe_check(page, name: str) -> AxeReport:
    """Run axe on the page as it is now (after waiting for its scripts to settle)."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    return AxeReport(name, page.evaluate(_RUN))


def assert_no_blocking(reports: list[AxeReport]) -> None:
    failing = [report for report in reports if report.blocking]
    assert not failing, "axe-core found serious/critical problems:\n" + "\n".join(
        f"{report.line()}\n{report.describe()}" for report in failing
    )
