"""Timeline: events per stream on a time axis (the wall clock where every stream shown has one), filtered by
type, zone and class; pick one to see its frame and play its moment. Refreshes itself while work runs."""

from datetime import datetime
from zoneinfo import ZoneInfo

import plotly.express as px
import streamlit as st

from dashboard.common import analysed_streams_or_stop, backend, play, span, thumbnail

st.title("Timeline")
data = backend()
names = analysed_streams_or_stop()
REFRESH_S = 5.0  # while a stream is analysed or live, its new events appear this often
busy = any(s["status"] in ("analyzing", "live") for s in data.streams())


@st.fragment(run_every=REFRESH_S if busy else None)
def timeline() -> None:
    chosen = st.multiselect("Streams", list(names), default=list(names)[:3], format_func=lambda s: names[s])
    events = [{**e, "zone": e["attributes"].get("zone", "")} for e in data.events(streams=chosen or None)]
    types = sorted({e["type"] for e in events})
    classes = sorted({e["label"] or "" for e in events} - {""})
    zones = sorted({e["zone"] for e in events} - {""})
    c1, c2, c3 = st.columns(3)
    pick_types = c1.multiselect("Event types", types, default=types)
    pick_classes = c2.multiselect("Classes", classes, default=classes)
    pick_zones = c3.multiselect("Zones", zones, default=[], help="empty: all")
    shown = [e for e in events if e["type"] in pick_types and (not e["label"] or e["label"] in pick_classes)
             and (not pick_zones or e["zone"] in pick_zones)]
    st.caption(f"{len(shown)} of {len(events)} events")
    if not shown:
        return

    streams = {s["id"]: s for s in data.streams()}
    zone = ZoneInfo(data.settings.timezone)
    clocked = all(float(streams.get(e["stream_id"], {}).get("start") or 0) > 0 for e in shown)


    def at(e: dict) -> float | datetime:
        """Where an event sits on the axis: its wall-clock time when every stream shown has a clock."""
        if clocked:
            return datetime.fromtimestamp(float(streams[e["stream_id"]]["start"]) + e["t0"], zone)
        return e["t0"]


    axis = f"wall clock ({zone})" if clocked else "seconds from the start of the stream (a stream shown has no clock)"
    rows = [{"stream": names.get(e["stream_id"], e["stream_id"]), "start": at(e), "type": e["type"],
             "what": e["description"], "when": span(e), "i": i} for i, e in enumerate(shown)]
    figure = px.scatter(rows, x="start", y="stream", color="type", hover_data=["what", "when"], custom_data=["i"],
                        labels={"start": axis, "stream": ""})
    figure.update_traces(marker={"size": 12, "symbol": "line-ns-open", "line": {"width": 3}})
    figure.update_layout(height=150 + 60 * len({r["stream"] for r in rows}), legend_title_text="event")
    selection = st.plotly_chart(figure, width="stretch", on_select="rerun", key="timeline")

    picked = None
    points = selection.get("selection", {}).get("points", []) if isinstance(selection, dict) else []
    if points:
        picked = shown[int(points[0]["customdata"][0])]
    labels = [f"{span(e)} {names.get(e['stream_id'], e['stream_id'])}: {e['description']}" for e in shown]
    index = st.selectbox("Event", range(len(shown)), format_func=lambda i: labels[i],
                         index=shown.index(picked) if picked else 0)
    event = shown[index]
    st.subheader(event["description"])
    left, right = st.columns([1, 2])
    with left:
        thumbnail(event["thumbnail"], caption=f"{event['stream']} @ {span(event)}", width=320)
        play(streams.get(event["stream_id"], {}).get("uri"), event["t0"], event["t1"])  # the moment, in place
    with right:
        for segment in data.segments(event["stream_id"], event["t0"], event["t1"]):
            st.write(f"**{span(segment)}** {segment['caption']}")


timeline()
st.caption(f"refreshing every {REFRESH_S:g} s while work runs" if busy else "up to date")
