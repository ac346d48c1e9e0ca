"""`ingest ...`: the command line, calling the same functions the tasks call."""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from worker.settings import get_settings

cli = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
db_cli = typer.Typer(no_args_is_help=True, help="Database schema.")
cli.add_typer(db_cli, name="db")
sources_cli = typer.Typer(
    help="News sources from config/sources.toml.", invoke_without_command=True
)
cli.add_typer(sources_cli, name="sources")
out = Console()
err = Console(stderr=True)

EXIT_REJECTED = 2
EXIT_UNAVAILABLE = 69  # EX_UNAVAILABLE: a service the command needs is down


def _engine() -> Any:
    from worker.store.engine import get_engine

    return get_engine(get_settings().database_url)


def _read_urls(urls: list[str], file: Path | None) -> list[str]:
    found: list[str] = []
    for item in urls:
        if item == "-":
            found.extend(sys.stdin.read().splitlines())
        else:
            found.append(item)
    if file is not None:
        found.extend(file.read_text(encoding="utf-8").splitlines())
    return found


@cli.command()
def enqueue(
    urls: Annotated[
        list[str] | None, typer.Argument(help="URLs, or - to read them from stdin.")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="A file with one URL per line.")
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Source id to record (default: the host).")
    ] = None,
) -> None:
    """Validate URLs, record them in the ledger and queue them for fetching.

    Exit 0 when every URL was accepted (or already known), 2 when any was rejected:
    the accepted ones go through all the same.
    """
    from worker import pipeline, tasks

    raw = _read_urls(urls or [], file)
    if not raw:
        err.print("ingest enqueue: no URLs given (pass URLs, --file FILE, or - for stdin)")
        raise typer.Exit(EXIT_REJECTED)
    report = pipeline.intake(_engine(), raw, tasks.publish_best_effort, source=source)
    out.print(
        f"accepted {len(report.accepted)}, already known {len(report.known)}, "
        f"rejected {len(report.rejected)}"
    )
    for url, reason in report.rejected:
        err.print(f"rejected {url!r}: {reason}", markup=False, highlight=False)
    if report.unpublished:
        err.print(
            f"warning: the broker did not take {report.unpublished} accepted URLs; they are "
            "recorded and the reconcile task will queue them once Redis is reachable"
        )
    if not report.ok:
        raise typer.Exit(EXIT_REJECTED)


@cli.command()
def extract(
    file: Annotated[str, typer.Argument(help="An HTML file, or - for stdin.")],
    url: Annotated[str, typer.Option(help="The URL the page was fetched from.")],
    explain: Annotated[bool, typer.Option(help="Show which rule produced each field.")] = False,
) -> None:
    """Run the parse step offline and print the Article as JSON (no broker, no database)."""
    from worker.parse import extract

    try:
        html = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        err.print(f"ingest extract: cannot read {file}: {exc.strerror}")
        raise typer.Exit(1) from None
    result = extract(html, url)
    out.print_json(result.article.model_dump_json())
    if explain:
        values = result.article.model_dump(mode="json")
        table = Table("field", "from", "rule", "value", title="where each field came from")
        for name, rule in result.rules.items():
            origin = result.article.provenance.get(name, "")
            table.add_row(name, origin, rule, str(values.get(name))[:60])
        for problem in result.article.problems:
            table.add_row("(problem)", "", "", problem)
        err.print(table)


@cli.command()
def status(
    url: Annotated[
        str | None, typer.Argument(help="A URL as enqueued (it is canonicalised).")
    ] = None,
) -> None:
    """Show a URL's ledger row, or without a URL how many URLs are in each state.

    The row holds the state, the attempts, the last error and the article id."""
    from worker.discover.canonical import canonicalize_url
    from worker.errors import InvalidUrl
    from worker.store import ledger

    if url is None:
        counts = Table("state", "URLs", title="the URL ledger")
        for state, count in sorted(ledger.state_counts(_engine()).items()):
            counts.add_row(state, str(count))
        out.print(counts)
        return
    try:
        canonical = canonicalize_url(url)
    except InvalidUrl as exc:
        err.print(f"ingest status: {url!r} is not a valid URL: {exc.reason}")
        raise typer.Exit(EXIT_REJECTED) from None
    row = ledger.url_row(_engine(), canonical)
    if row is None:
        err.print(f"ingest status: {canonical} is not in the ledger")
        raise typer.Exit(1)
    table = Table("field", "value", show_header=False)
    for key in (
        "id",
        "canonical_url",
        "original_url",
        "source",
        "state",
        "attempts",
        "last_error",
        "article_id",
        "created_at",
        "updated_at",
        "fetched_at",
    ):
        table.add_row(key, _show(row[key]))
    out.print(table)


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return str(value)


@cli.command()
def articles(
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 20,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List the latest stored articles."""
    from worker.store import articles as store

    rows = store.latest(_engine(), limit=limit, source=source)
    if as_json:
        for row in rows:
            print(json.dumps(row, default=_show, ensure_ascii=False))
        return
    print_articles(rows)


def print_articles(rows: list[dict[str, Any]]) -> None:
    """A table of articles, dates shown in each source's own time zone (stored in UTC)."""
    from worker.sources import SourcesError, load_sources

    try:
        zones = {s.id: s.tz for s in load_sources(get_settings().sources_file)}
    except SourcesError:
        zones = {}
    table = Table("title", "published", "source", "words", title=f"{len(rows)} stored articles")
    for row in rows:
        published = row["published_at"]
        if published is not None and row["source"] in zones:
            published = published.astimezone(zones[row["source"]])
        table.add_row(
            row["title"][:70] or "(no title)",
            _show(published),
            row["source"],
            str(row["word_count"]),
        )
    out.print(table)


@cli.command()
def export(
    format: Annotated[str, typer.Option(help="Output format (jsonl).")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default stdout).")
    ] = None,
) -> None:
    """Write every stored article, one JSON object per line."""
    from worker.store import articles as store

    if format != "jsonl":
        err.print(f"ingest export: unknown format {format!r} (supported: jsonl)")
        raise typer.Exit(EXIT_REJECTED)
    target = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for row in store.iter_all(_engine()):
            target.write(json.dumps(row, default=_show, ensure_ascii=False) + "\n")
    finally:
        if output:
            target.close()


def _load_sources() -> list[Any]:
    from worker.sources import SourcesError, load_sources

    try:
        return load_sources(get_settings().sources_file)
    except SourcesError as exc:
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(EXIT_REJECTED) from None


@sources_cli.callback()
def sources_list(ctx: typer.Context) -> None:
    """List each source with its last crawl: when, URLs found, new URLs, errors."""
    if ctx.invoked_subcommand is not None:
        return
    from worker.store import crawls

    runs = crawls.last_runs(_engine())
    table = Table("id", "name", "enabled", "schedule", "last run", "found", "new", "errors")
    for source in _load_sources():
        run = runs.get(source.id, {})
        schedule = source.schedule.cron or f"every {source.schedule.every} s"
        table.add_row(
            source.id,
            source.name,
            "yes" if source.enabled else "no",
            schedule,
            _show(run.get("finished_at")),
            _show(run.get("found")),
            _show(run.get("new")),
            str(len(run["errors"])) if run else "",
        )
    out.print(table)


@sources_cli.command("check")
def sources_check() -> None:
    """Validate config/sources.toml without starting anything (exit 2 on any problem)."""
    found = _load_sources()
    out.print(f"{get_settings().sources_file}: {len(found)} sources, all valid")


@cli.command()
def crawl(
    source_ids: Annotated[list[str] | None, typer.Argument(help="Source ids to crawl now.")] = None,
    all_sources: Annotated[bool, typer.Option("--all", help="Every enabled source.")] = False,
) -> None:
    """Crawl sources now, in this process (the same code as beat's crawl task)."""
    from worker import crawl as crawler
    from worker import tasks
    from worker.sources import SourcesError, find_source

    sources = _load_sources()
    try:
        chosen = (
            [s for s in sources if s.enabled]
            if all_sources
            else [find_source(sources, sid) for sid in source_ids or []]
        )
    except SourcesError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(EXIT_REJECTED) from None
    if not chosen:
        err.print("ingest crawl: name a source id or pass --all")
        raise typer.Exit(EXIT_REJECTED)
    failed = False
    for source in chosen:
        report = crawler.crawl_source(
            tasks.services(with_http=True), source, tasks.publish_best_effort
        )
        out.print(report.summary())
        for error in report.errors:
            err.print(f"  error: {error}", markup=False, highlight=False)
        failed = failed or bool(report.errors)
    if failed:
        raise typer.Exit(1)


@cli.command()
def retry(
    urls: Annotated[
        list[str] | None, typer.Argument(help="URLs to retry (default: by state).")
    ] = None,
    state: Annotated[
        list[str] | None, typer.Option(help="Only rows in this terminal state (repeatable).")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
) -> None:
    """Send failed URLs through the chain again with a fresh attempt budget."""
    from worker import pipeline, tasks
    from worker.discover.canonical import canonicalize_url
    from worker.models import UrlState

    try:
        states = [UrlState(s) for s in state] if state else list(pipeline.FAILED_STATES)
        wanted = [canonicalize_url(u) for u in urls or []]
    except ValueError as exc:
        err.print(f"ingest retry: {exc}")
        raise typer.Exit(EXIT_REJECTED) from None
    count = pipeline.retry_failed(
        tasks.services(),
        tasks.publish_best_effort,
        canonical_urls=wanted,
        states=states,
        source=source,
    )
    out.print(f"queued {count} failed URLs again")


@cli.command()
def reparse(
    source: Annotated[str | None, typer.Option(help="Only this source's articles.")] = None,
) -> None:
    """Parse stored pages again with the current extractor; changed articles get a new version."""
    from worker import pipeline, tasks

    count = pipeline.reparse(tasks.services(), tasks.publish_best_effort, source)
    out.print(f"queued {count} stored pages for parsing again")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply the migrations (creates the SQLite file under data/ if needed)."""
    from worker.store.migrate import upgrade

    upgrade(_engine())
    out.print("database is up to date")


def _celery(*args: str) -> None:
    settings = get_settings()
    try:
        settings.check_broker_safety()
    except ValueError as exc:
        err.print(f"ingest: refusing to start: {exc}")
        raise typer.Exit(78) from None
    os.execvp(sys.executable, [sys.executable, "-m", "celery", "-A", "worker.celery_app", *args])


@cli.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def worker(
    ctx: typer.Context,
    queues: Annotated[
        str, typer.Option("--queues", "-Q", help="Queues to consume.")
    ] = "fetch,parse,store",
    concurrency: Annotated[
        int | None,
        typer.Option("--concurrency", "-c", help="Processes (default INGEST_WORKER_CONCURRENCY)."),
    ] = None,
) -> None:
    """Start a Celery worker with task events on (further arguments go to celery)."""
    processes = str(concurrency or get_settings().worker_concurrency)
    _celery("worker", "-Q", queues, "-c", processes, "-E", "-l", "INFO", *ctx.args)


@cli.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def beat(ctx: typer.Context) -> None:
    """Start Celery beat (run exactly one per deployment)."""
    _celery("beat", "-l", "INFO", *ctx.args)


@cli.command()
def demo(
    once: Annotated[bool, typer.Option(help="Stop after showing the result.")] = False,
) -> None:
    """What `make run` does: crawl a demo site with a real worker and beat, show the result.

    The site is served on 127.0.0.1:8765; it is the `demo` source of config/sources.toml."""
    from worker.demo.run import run_demo

    raise typer.Exit(run_demo(get_settings(), once=once))


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
