"""Concurrent intake of overlapping URL lists on SQLite and PostgreSQL: each URL gets one row
and is accepted (so published) by exactly one caller, and no caller fails, whatever order the
feeds, sitemaps and users list the URLs in."""

from __future__ import annotations

import random
import threading
import uuid

import pytest
from sqlalchemy import Engine, func, select

from worker import pipeline
from worker.store.tables import urls

pytestmark = pytest.mark.integration
ARTICLES = 60
CALLERS = 8
BATCH = 20


def test_overlapping_intakes_accept_each_url_once(engine: Engine) -> None:
    host = f"race-{uuid.uuid4().hex[:8]}.example"  # the module's database is shared
    accepted: list[str] = []
    published: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(CALLERS)

    def caller(seed: int) -> None:
        order = list(range(ARTICLES))
        random.Random(seed).shuffle(order)  # each list names the articles in its own order
        start.wait()
        for first in range(0, ARTICLES, BATCH):
            batch = [
                f"https://{host}/a/{i}?utm_source=c{seed}" for i in order[first : first + BATCH]
            ]
            try:
                report = pipeline.intake(
                    engine, batch, lambda url_id, _stage: published.append(url_id)
                )
            except Exception as exc:  # noqa: BLE001 - collected for the assertion below
                errors.append(exc)
            else:
                accepted.extend(report.accepted)

    threads = [threading.Thread(target=caller, args=(seed,)) for seed in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with engine.connect() as conn:
        rows = conn.scalar(
            select(func.count()).select_from(urls).where(urls.c.canonical_url.like(f"%{host}%"))
        )
    print(
        f"\n{CALLERS} callers x {ARTICLES} URLs ({engine.dialect.name}): {rows} rows, "
        f"{len(accepted)} accepted, {len(published)} published, {len(errors)} errors"
    )
    assert not errors, errors[:2]
    assert rows == ARTICLES
    assert len(accepted) == ARTICLES and len(set(accepted)) == ARTICLES
    assert len(published) == ARTICLES  # one chain per URL, not one per caller that raced
