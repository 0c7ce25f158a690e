"""Two counsellors claim the same case at the same moment on PostgreSQL: exactly one wins."""
from __future__ import annotations

import threading

from bot.db.session import make_engine, migrate
from bot.handoff_cases.store import CaseStore


def test_concurrent_claims_on_postgresql_exactly_one_wins(pg_url):
    migrate(pg_url)
    engine = make_engine(pg_url)
    try:
        stores = [CaseStore(make_engine(pg_url)) for _ in range(2)]  # two processes' worth of connections
        for round_ in range(20):
            case = stores[0].create(user_key=f"u{round_}", chat_id=round_ + 1, language="ar", topic="wages",
                                    bundesland="BY", organisation_id="fi-by", urgent=False, summary={})
            barrier = threading.Barrier(2)
            results: dict[str, bool] = {}

            def claim(name: str, store: CaseStore) -> None:
                barrier.wait()
                results[name] = store.claim(case.id, name)

            threads = [threading.Thread(target=claim, args=(f"c{i}", s)) for i, s in enumerate(stores)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert sorted(results.values()) == [False, True], results
            winner = next(name for name, won in results.items() if won)
            assert stores[1].get(case.id).assigned_to == winner
        for store in stores:
            store.engine.dispose()
    finally:
        engine.dispose()
