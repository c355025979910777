"""The benchmark table, as printed by ``make bench`` and as written to RESULTS.md."""

from __future__ import annotations

from tests.benchmarks.bench_server import DELAY
from tests.benchmarks.harness import counties


def _rows(run: dict):
    """(job, [(counties, runs, project s, baseline s, ratio, project MB, baseline MB)], growth) for each job."""
    for job in sorted(run["jobs"], key=lambda j: j.server):  # the server jobs last, under their own heading
        result = run["results"].get(job.key)
        if result is None:
            continue
        if "skipped" in result:
            yield job, None, result["skipped"]
            continue
        lines = []
        for n, at in sorted(result["sizes"].items()):
            p, b = at["project"], at["baseline"]
            ratio = p["median"] / b["median"]
            lines.append((n, len(p["times"]), p["median"], b["median"], ratio, p["peak_mb"], b["peak_mb"]))
        yield job, lines, {**result["growth"], "interval": result.get("growth_interval")}


def _k(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _interval(interval: list[float] | None) -> str:
    return "–" if interval is None else f"{interval[0]:.2f} to {interval[1]:.2f}"


def _notes(result: dict) -> str:
    parts = []
    for n, at in sorted(result["sizes"].items()):
        notes = {**at["baseline"]["notes"], **at["project"]["notes"]}
        if notes:
            shown = (f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in notes.items())
            parts.append(f"{n}: " + ", ".join(shown))
    return "; ".join(parts)


def _sizes(run: dict) -> list[str]:
    return [
        f"{counties(n)}: {d['facilities']:,} facilities, {d['staff']:,} staff, "
        f"{d['beds']:,} open beds, {d['megabytes']:.1f} MB file"
        for n, d in sorted(run["databases"].items())
    ]


SERVER_PART = "On a server across a LAN"
SERVER_NOTE = (
    f"each job's project side on PostgreSQL through the latency proxy ({DELAY * 1000:g} ms each way), its baseline "
    "the very same on the local SQLite file"
)


LINK_PART = "What the link adds"
LINK_NOTE = (
    "each server job at the largest size: the round trips its timed part makes (each statement, each transaction's "
    f"BEGIN and its end), what the server costs beyond the local file, that cost per round trip (the link's "
    f"{2 * DELAY * 1000:g} ms and the server's work), and how many round trips fit in 0.3 times the local time, "
    "the room a 1.3x ratio leaves"
)


def _link(run: dict) -> list[tuple[str, int, float, float, float, int]]:
    """(job, round trips, server - local s, per round trip s, 0.3 x local s, round trips that room allows)."""
    out = []
    for job in run["jobs"]:
        result = run["results"].get(job.key, {})
        if not job.server or "sizes" not in result:
            continue
        n = max(result["sizes"])
        at = result["sizes"][n]
        trips = at["project"]["notes"].get("round trips")
        if not trips:
            continue
        server, local = at["project"]["median"], at["baseline"]["median"]
        room = 0.3 * local
        out.append((job.title.removesuffix(", on the server"), trips, server - local, (server - local) / trips,
                    room, int(room // (2 * DELAY))))  # fmt: skip
    return out


def _head(project: str, baseline: str) -> str:
    head = f"{'job':<46}{'counties':>8}{'runs':>6}{project:>11}{baseline:>11}{'ratio':>8}"
    return head + f"   peak MB ({project} / {baseline})"


def render_text(run: dict) -> str:
    out: list[str] = []
    part = None
    for job, lines, extra in _rows(run):
        if part != job.server:  # a head over the jobs against their baselines, another over the server's
            part = job.server
            if part:
                out += ["", f"{SERVER_PART}: {SERVER_NOTE}:"] if out else [f"{SERVER_PART}: {SERVER_NOTE}:"]
            out.append(_head("server", "local") if part else _head("project", "baseline"))
        out.append(job.title)
        if lines is None:
            out.append(f"    skipped: {extra}")
            continue
        for n, runs, p, b, ratio, pm, bm in lines:
            out.append(f"{'':<46}{n:>8}{runs:>6}{p:>9.3f} s{b:>9.3f} s{ratio:>7.2f}x   {pm:6.0f} / {bm:.0f}")
        out.append(f"{'    growth: k in time ~ counties^k':<60}{_k(extra['project']):>11}{_k(extra['baseline']):>11}")
        out.append(f"{'    its 90% interval':<60}{_interval(extra['interval']):>11}")
    link = _link(run)
    if link:
        out += ["", f"{LINK_PART}: {LINK_NOTE}:"]
        out.append(f"{'job':<46}{'trips':>6}{'added':>10}{'per trip':>10}{'0.3x local':>12}{'trips it allows':>17}")
        for title, trips, added, per, room, allowed in link:
            out.append(
                f"{title:<46}{trips:>6}{added * 1000:>7.1f} ms{per * 1000:>7.2f} ms{room * 1000:>9.1f} ms{allowed:>17}"
            )
    out.append("")
    out.append(f"goals, at {max(run['databases'])} counties:")
    for text, measured, met in run["goals"]:
        mark = {True: "met", False: "NOT MET", None: "not run"}[met]
        out.append(f"  {mark:<8} {text:<58} {measured}")
    out.append(f"\nthe whole run took {run['elapsed'] / 60:.1f} min")
    return "\n".join(out)


def _markdown_head(project: str, baseline: str) -> list[str]:
    return [
        f"| job | counties | runs | {project} | {baseline} | ratio | peak MB, {project} | peak MB, {baseline} |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]


def render_markdown(run: dict) -> str:
    m = run["machine"]
    out = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m tests.benchmarks`); do not edit by hand. Each job ran on demo",
        "cities of 1, 3 and 10 counties; at each size the project and its baseline ran in fresh processes,",
        "one after the other, several times each (more often for the smaller cities). Times are medians.",
        "Peak memory is the highest resident memory of the process while the job ran, including what it",
        "already held (Python, Qt, the open window); for the window jobs it also covers visiting every page",
        "once after the timed runs, and for a cold start it is the started process's own peak. Growth is k",
        "in time ~ counties^k, a least-squares fit of the medians over the three sizes, with a 90% bootstrap",
        "interval (each size's runs resampled). A job grows faster than the number of counties when the",
        "whole interval lies above 1: a fixed cost pulls a linear job under 1, and n log n measures 1.11.",
        "",
        f"Run on {run['when']:%Y-%m-%d %H:%M %Z}, commit {m['commit']}, in {run['elapsed'] / 60:.1f} minutes.",
        "",
        "## The machine",
        "",
        f"- Processor: {m['processor']}, {m['cores']} cores; memory {m['memory']}",
        f"- System: {m['system']}",
        f"- Python {m['python']}, SQLite {m['sqlite']}; {m['packages']}",
        "",
        "## The demo cities",
        "",
        *[f"- {line}" for line in _sizes(run)],
        "",
        "## Times and memory",
        "",
        *_markdown_head("project", "baseline"),
    ]
    server_part = False
    for job, lines, extra in _rows(run):
        if job.server and not server_part:
            server_part = True
            out += ["", f"## {SERVER_PART}", "", SERVER_NOTE[0].upper() + SERVER_NOTE[1:] + ".", ""]
            out += _markdown_head("server", "local")
        if lines is None:
            out.append(f"| {job.title} | skipped: {extra} | | | | | | |")
            continue
        for i, (n, runs, p, b, ratio, pm, bm) in enumerate(lines):
            title = job.title if i == 0 else ""
            out.append(f"| {title} | {n} | {runs} | {p:.3f} s | {b:.3f} s | {ratio:.2f}x | {pm:.0f} | {bm:.0f} |")
        out.append(f"| | growth k | | {_k(extra['project'])} | {_k(extra['baseline'])} | | | |")
        out.append(f"| | k, 90% interval | | {_interval(extra['interval'])} | | | | |")
    link = _link(run)
    if link:
        out += ["", f"### {LINK_PART}", "", LINK_NOTE[0].upper() + LINK_NOTE[1:] + ".", ""]
        out += [
            "| job | round trips | server − local | per round trip | 0.3 × local | round trips it allows |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for title, trips, added, per, room, allowed in link:
            cells = (title, trips, f"{added * 1000:.1f} ms", f"{per * 1000:.2f} ms", f"{room * 1000:.1f} ms", allowed)
            out.append("| " + " | ".join(str(c) for c in cells) + " |")
    out += ["", f"## Goals, at {max(run['databases'])} counties", "", "| goal | measured | met |", "|---|---|---|"]
    for text, measured, met in run["goals"]:
        out.append(f"| {text} | {measured} | {({True: 'yes', False: '**no**', None: 'not run'})[met]} |")
    out += ["", "## What each job compares", ""]
    for job in run["jobs"]:
        result = run["results"].get(job.key, {})
        notes = _notes(result) if "sizes" in result else ""
        out.append(f"- **{job.title}** (`{job.key}`): {job.project_label}; baseline: {job.baseline_label}.")
        if notes:
            out.append(f"  Counted: {notes}.")
    return "\n".join(out) + "\n"
