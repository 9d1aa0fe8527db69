"""Alerts: the rules in force and their firings, with webhook delivery state."""

import streamlit as st

from dashboard.common import backend, span, thumbnail
from dashboard.data import ALERT_LIMIT

st.title("Alerts")
data = backend()

st.subheader("Rules")
rules = data.rules()
if rules:
    st.dataframe([{"name": r["name"], "when": r["text"] or r["event"], "event": r["event"], "zone": r["zone"],
                   "classes": ", ".join(r["classes"]), "severity": r["severity"]} for r in rules],
                 hide_index=True, width="stretch")
else:
    st.caption("No alert rules. Point VIDGRAPH_ALERTS_RULES_FILE at a TOML file of [[rule]] tables.")

st.subheader("Firings")
firings = data.alerts(limit=ALERT_LIMIT + 1, newest=True)  # the newest first; one more: whether there are more
if not firings:
    st.info("No alert has fired.")
if len(firings) > ALERT_LIMIT:
    st.caption(f"The newest {ALERT_LIMIT} firings; `vidgraph alerts --limit N` or GET /alerts?limit=N lists more.")
for firing in firings[:ALERT_LIMIT]:
    with st.container(border=True):
        left, right = st.columns([1, 3])
        with left:
            thumbnail(firing.get("thumbnail"), width=160)
        with right:
            st.markdown(f"**{firing['severity']}** {firing['text']}")
            st.caption(f"{firing['stream']} @ {span(firing)} - webhook: {firing['delivered']}"
                       f"{' (' + firing['error'] + ')' if firing['error'] else ''}")
