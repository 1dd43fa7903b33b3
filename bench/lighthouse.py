"""`make lighthouse`: Lighthouse scores of the main kinds of page, served as in production.

Serves the site on loopback as production does (gunicorn, debug off, collected static
files served by WhiteNoise, the shipped content in a throwaway SQLite database), with
only the HTTPS redirect off (plain HTTP on 127.0.0.1, which browsers treat as secure),
then runs Lighthouse with Debian's Chromium on each page with the mobile and desktop
presets, all four categories, and prints a table of scores. Every audit that cost a
category points is listed under the table by its id.

The mobile preset slows the CPU 4x to stand for a mid-range phone on a fast desktop. On a
slower or busy machine the same factor stands for a much slower phone, and Lighthouse
warns that the score suffers; its own guidance (docs/throttling.md, "calibrating the CPU
slowdown") is to match the factor to the host's benchmark index. So the script first
measures the index (median of three short runs) and uses the factor Lighthouse's
calculator gives for it, never more than the standard 4x (a fast host gets exactly the
standard preset). LIGHTHOUSE_CPU_SLOWDOWN=4 forces the standard factor.

Search results pages carry `noindex` on purpose (a results page is not content for
search engines), so `is-crawlable` failing there is expected and does not count against
the target; every other audit does.

A run that fails (Lighthouse's runtime errors, such as a trace without a navigation
start) is run once more, as Lighthouse's own message asks; a low score never is.

A manual check, not part of `make test`. The exit status is 1 when a score is below the
target (LIGHTHOUSE_MIN, 95) or a run failed. Options come from the environment:
LIGHTHOUSE (the lighthouse command; default .lighthouse/node_modules/.bin/lighthouse,
then PATH), CHROME_PATH (/usr/bin/chromium), LIGHTHOUSE_PAGES (space-separated paths
instead of the usual fourteen), LIGHTHOUSE_PRESETS ("mobile desktop"),
LIGHTHOUSE_CPU_SLOWDOWN (auto, or a factor for the mobile preset), LIGHTHOUSE_KEEP (a
folder to keep each page's JSON and HTML reports in).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import LOOPBACK, ROOT, ServerError, Stack, log, run, run_script

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# Each kind of page, in both languages: home, a treatment, the response page, its
# explainer, the glossary, the questions to ask, a search with results.
PAGES = [
    "/en/",
    "/fr/",
    "/en/treatments/surgery/",
    "/fr/traitements/chirurgie/",
    "/en/response-to-treatment/",
    "/fr/reponse-au-traitement/",
    "/en/response-to-treatment/explainer/",
    "/fr/reponse-au-traitement/explication/",
    "/en/glossary/",
    "/fr/glossaire/",
    "/en/questions-to-ask/",
    "/fr/questions-a-poser/",
    "/en/search/?q=chemotherapy",
    "/fr/recherche/?q=chimiotherapie",
]
TARGET = int(os.environ.get("LIGHTHOUSE_MIN", "95"))
STANDARD_SLOWDOWN = 4.0  # Lighthouse's mobile preset
# Audits that fail on purpose, by page: (path prefix, audit id) -> why.
EXPECTED = {
    ("/en/search/", "is-crawlable"): "results pages carry noindex on purpose",
    ("/fr/recherche/", "is-crawlable"): "results pages carry noindex on purpose",
}


@dataclass
class Result:
    page: str
    preset: str
    scores: dict[str, int | None]
    failing: dict[str, list[tuple[str, str]]]  # category -> (audit id, description)
    error: str = ""
    benchmark: float = 0  # the host's benchmark index during this run

    def expected(self, audit_id: str) -> str:
        """Why this audit fails on this page on purpose, or ""."""
        return next(
            (
                why
                for (prefix, audit), why in EXPECTED.items()
                if audit == audit_id and self.page.startswith(prefix)
            ),
            "",
        )

    def meets_target(self, category: str) -> bool:
        """At the target, or below it only through audits that fail on purpose."""
        score = self.scores.get(category)
        if score is not None and score >= TARGET:
            return True
        audits = self.failing.get(category, [])
        return bool(audits) and all(self.expected(audit) for audit, _ in audits)


def lighthouse_command() -> str:
    configured = os.environ.get("LIGHTHOUSE")
    local = ROOT / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
    found = configured or (str(local) if local.exists() else shutil.which("lighthouse"))
    if not found:
        raise ServerError(
            "lighthouse is not installed: `make lighthouse` installs it in "
            ".lighthouse/, or set LIGHTHOUSE"
        )
    return found


def chrome_path() -> str:
    path = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not Path(path).exists():
        raise ServerError(f"no Chromium at {path} (apt-get install chromium)")
    return path


def failing_audits(report: dict, category: str) -> list[tuple[str, str]]:
    """The audits that cost this category points, worst first."""
    audits = report["audits"]
    found = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits.get(ref["id"], {})
        score = audit.get("score")
        if ref.get("weight", 0) > 0 and score is not None and score < 1:
            shown = audit.get("displayValue", "")
            text = f"{ref['id']} ({score:.2f}{', ' + shown if shown else ''}): "
            found.append((score, ref["id"], text + audit.get("title", "")))
    return [(audit_id, text) for _score, audit_id, text in sorted(found)]


def calculator_slowdown(benchmark: float) -> float:
    """The CPU slowdown Lighthouse's throttling calculator gives for a benchmark index
    (150 is 1x, 800 is 2x, 1300 is 3x, 1533 is the preset's 4x), at most the preset's."""
    if benchmark >= 1300:
        factor = 3 + (benchmark - 1300) / 233
    elif benchmark >= 800:
        factor = 2 + (benchmark - 800) / 500
    else:
        factor = 1 + max(benchmark - 150, 0) / 650
    return round(min(factor, STANDARD_SLOWDOWN), 1)


def measure_benchmark(command: str, url: str, out_dir: Path) -> float:
    """The host's benchmark index: the median of three short Lighthouse runs."""
    found = []
    for attempt in range(3):
        out = out_dir / f"benchmark-{attempt}.json"
        run(
            [
                command,
                url,
                "--quiet",
                "--preset=desktop",
                "--only-audits=first-contentful-paint",
                "--output=json",
                f"--output-path={out}",
                "--chrome-flags=--headless --no-sandbox --disable-gpu",
                "--no-enable-error-reporting",
            ],
            env=dict(os.environ, CHROME_PATH=chrome_path()),
            capture_output=True,
            timeout=180,
            check=False,
        )
        if out.exists():
            found.append(json.loads(out.read_text())["environment"]["benchmarkIndex"])
    if not found:
        raise ServerError("Lighthouse could not measure this machine's speed")
    return statistics.median(found)


def audit_page(
    command: str, base: str, page: str, preset: str, out_dir: Path, slowdown: float
) -> Result:
    name = page.strip("/").replace("/", "_").replace("?", "_").replace("=", "_")
    stem = out_dir / f"{name or 'home'}-{preset}"
    args = [
        command,
        base + page,
        "--quiet",
        "--output=json",
        "--output=html",
        f"--output-path={stem}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless --no-sandbox --disable-gpu",
        # Lighthouse must not send its own error reports anywhere.
        "--no-enable-error-reporting",
    ]
    if preset == "desktop":
        args.append("--preset=desktop")
    elif slowdown != STANDARD_SLOWDOWN:
        args.append(f"--throttling.cpuSlowdownMultiplier={slowdown}")
    env = dict(os.environ, CHROME_PATH=chrome_path())
    done = run(args, env=env, capture_output=True, text=True, timeout=300, check=False)
    report_file = Path(f"{stem}.report.json")
    if done.returncode != 0 or not report_file.exists():
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        return Result(page, preset, {}, {}, error="\n".join(tail) or "no report")
    report = json.loads(report_file.read_text())
    if report.get("runtimeError"):
        return Result(page, preset, {}, {}, error=str(report["runtimeError"]))
    scores, failing = {}, {}
    for category in CATEGORIES:
        score = report["categories"][category]["score"]
        scores[category] = None if score is None else round(score * 100)
        if scores[category] is None or scores[category] < 100:
            failing[category] = failing_audits(report, category)
    benchmark = report["environment"].get("benchmarkIndex", 0)
    return Result(page, preset, scores, failing, benchmark=benchmark)


def table(results: list[Result]) -> str:
    head = ["page", "preset", *CATEGORIES, "host index"]
    rows = [
        [
            r.page,
            r.preset,
            *(
                "error"
                if r.error
                else f"{r.scores.get(c)}{'' if r.meets_target(c) else ' !'}"
                for c in CATEGORIES
            ),
            f"{r.benchmark:.0f}",
        ]
        for r in results
    ]
    widths = [max(len(str(row[i])) for row in [head, *rows]) for i in range(len(head))]
    line = lambda row: "  ".join(  # noqa: E731
        str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)
    )
    return "\n".join([line(head), line(["-" * w for w in widths]), *map(line, rows)])


def main() -> int:
    command = lighthouse_command()
    pages = os.environ.get("LIGHTHOUSE_PAGES", "").split() or PAGES
    presets = os.environ.get("LIGHTHOUSE_PRESETS", "mobile desktop").split()
    keep = os.environ.get("LIGHTHOUSE_KEEP")
    version = run([command, "--version"], capture_output=True, text=True, check=False)
    log(f"Lighthouse {version.stdout.strip()}, Chromium at {chrome_path()}")
    setting = os.environ.get("LIGHTHOUSE_CPU_SLOWDOWN", "auto")
    results = []
    with Stack("lighthouse") as stack:
        log("preparing the site (translations, static files, schema, content)...")
        stack.prepare_site()
        port = stack.start_gunicorn("app", workers=2)
        base = f"http://{LOOPBACK}:{port}"
        out_dir = Path(keep) if keep else Path(tempfile.mkdtemp(dir=stack.tmp))
        out_dir.mkdir(parents=True, exist_ok=True)
        if setting == "auto" and "mobile" in presets:
            log("measuring this machine's speed (Lighthouse benchmark index)...")
            benchmark = measure_benchmark(command, base + pages[0], out_dir)
            slowdown = calculator_slowdown(benchmark)
            log(
                f"benchmark index {benchmark:.0f}: mobile CPU slowdown {slowdown}x "
                f"(Lighthouse's calculator; {STANDARD_SLOWDOWN:g}x on a fast machine)"
            )
        else:
            slowdown = STANDARD_SLOWDOWN if setting == "auto" else float(setting)
        for page in pages:
            for preset in presets:
                log(f"lighthouse {preset} {page} ...")
                result = audit_page(command, base, page, preset, out_dir, slowdown)
                if result.error:  # a failed trace (NO_NAVSTART...): run it again,
                    log(f"  failed ({result.error.splitlines()[0][:80]}), once more")
                    result = audit_page(  # as Lighthouse's own message asks
                        command, base, page, preset, out_dir, slowdown
                    )
                results.append(result)
    print()
    print(table(results))
    low = False
    for r in results:
        if r.error:
            low = True
            print(f"\n{r.page} ({r.preset}): Lighthouse failed:\n{r.error}")
            continue
        for category, audits in r.failing.items():
            below = not r.meets_target(category)
            low = low or below
            mark = "BELOW TARGET" if below else "lost points"
            print(f"\n{r.page} ({r.preset}) {category} {r.scores[category]}: {mark}")
            for audit_id, text in audits:
                why = r.expected(audit_id)
                print(f"  - {text}{f' [expected: {why}]' if why else ''}")
    print(
        f"\ntarget: {TARGET} in every category (! marks a miss); "
        f"mobile CPU slowdown {slowdown}x; {'MISSED' if low else 'met'}"
    )
    if keep:
        print(f"reports kept in {keep}")
    return 1 if low else 0


if __name__ == "__main__":
    run_script(main, "lighthouse")
