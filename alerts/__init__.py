"""Stage 3b - alerts: rules evaluated on the events being written, firings written with them, delivered.

Between the graph and the query stages: the writer of a run (``pipeline.writer``) asks :func:`fire` for the
firings its batch of events causes and writes them in the same transaction; :class:`WebhookNotifier`
delivers them in the background and hands the delivery states back to the writer, which stores them. The
query stage only reads the firings (``GraphStore.alerts``).

- ``alerts.rules``: rules, structured or in plain language (``person within 2 m of a forklift``);
- ``alerts.fire``: which of a batch's events fire which rules;
- ``alerts.occupancy``: rules on how many are inside a zone at once, kept across a run's batches;
- ``alerts.delivery``: the webhook, with retries and backoff.
"""

from alerts.delivery import WebhookNotifier
from alerts.fire import fire
from alerts.occupancy import Occupancy
from alerts.rules import AlertRule, load_rules, parse_rule

__all__ = ["AlertRule", "Occupancy", "WebhookNotifier", "fire", "load_rules", "parse_rule"]
