"""Webhook delivery of alert firings: a background thread with retries and backoff.

The notifier never touches the graph: the writer of the run asks the store which firings are still pending,
submits those, and stores the delivery states the notifier hands back (:meth:`WebhookNotifier.results`), so
one owner writes the store.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from common.urls import UrlRefused, check_service_url, redact

if TYPE_CHECKING:
    import httpx

Delivery = dict[str, Any]  # {"id", "delivered" ("yes", "failed", "none"), "attempts", "error"}


class WebhookNotifier:
    """Posts firings to a webhook on a background thread, with retries and backoff.

    ``submit`` never blocks ingestion for long: the queue holds up to ``max_pending`` firings; when the hook is
    down longer than that, further firings are reported "failed" at once, with the reason. Without a URL every
    firing is reported "none". Delivery states wait in :meth:`results` until the writer stores them.
    """

    def __init__(self, url: str | None, *, token: str | None = None, max_retries: int = 4, backoff_s: float = 0.5,
                 timeout_s: float = 10.0, max_pending: int = 1000) -> None:
        self.url = url
        self.max_retries, self.backoff_s = max_retries, backoff_s
        self._queue: queue.Queue[Mapping[str, Any] | None] = queue.Queue(max_pending)
        self._done: list[Delivery] = []
        self._done_lock = threading.Lock()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._client: httpx.Client | None = None
        if url:  # httpx only when there is a webhook: 14 MB a run without one never needs
            import httpx

            self._client = httpx.Client(timeout=timeout_s, headers=headers)
        self._thread = threading.Thread(target=self._run, name="vidgraph-webhook", daemon=True)
        if url:
            self._thread.start()

    def submit(self, alerts: Sequence[Mapping[str, Any]]) -> None:
        """Deliver these firings (rows as written, or as ``GraphStore.alerts`` reads them): the caller passes
        only those still pending (a re-run of the same analysis does not deliver again)."""
        for alert in alerts:
            if not self.url:
                self._report({"id": alert["id"], "delivered": "none", "attempts": 0, "error": "no webhook configured"})
                continue
            try:
                self._queue.put_nowait(alert)
            except queue.Full:
                self._report({"id": alert["id"], "delivered": "failed", "attempts": 0, "error": "webhook backlog full"})

    def results(self) -> list[Delivery]:
        """Delivery states reported since the last call, for the writer to store."""
        with self._done_lock:
            done, self._done = self._done, []
        return done

    def close(self, timeout_s: float = 60.0) -> list[Delivery]:
        """Wait for queued deliveries (up to ``timeout_s``), stop, and return the states not yet collected."""
        if self.url:
            self._queue.put(None)
            self._thread.join(timeout_s)
            if self._client is not None:
                self._client.close()
        return self.results()

    def _report(self, delivery: Delivery) -> None:
        with self._done_lock:
            self._done.append(delivery)

    def _run(self) -> None:
        while (alert := self._queue.get()) is not None:
            delivered, attempts, error = self._deliver(alert)
            self._report({"id": alert["id"], "delivered": delivered, "attempts": attempts, "error": error})

    def _deliver(self, alert: Mapping[str, Any]) -> tuple[str, int, str]:
        payload = {key: alert.get(key) for key in ("id", "rule", "severity", "stream_id", "stream", "t0", "t1",
                                                   "text", "fired", "event_id", "event_type")}
        import httpx

        error = ""
        assert self._client is not None and self.url is not None
        try:  # again here, resolved: the settings were checked before the host's address was known
            check_service_url(self.url, "alert webhook")
        except UrlRefused as refused:
            return "failed", 0, str(refused)
        for attempt in range(1, self.max_retries + 2):
            try:
                response = self._client.post(self.url, json=payload)
                if response.status_code < 300:
                    return "yes", attempt, ""
                error = f"HTTP {response.status_code}: {response.text[:200]}"
                if 400 <= response.status_code < 500 and response.status_code != 429:
                    return "failed", attempt, error  # the hook rejects this payload: retrying will not help
            except httpx.HTTPError as err:
                error = redact(f"cannot reach {self.url}: {err}")
            if attempt <= self.max_retries:
                time.sleep(self.backoff_s * 2 ** (attempt - 1))
        return "failed", self.max_retries + 1, error
