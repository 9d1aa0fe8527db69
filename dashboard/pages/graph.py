"""Graph: the events and entities around a moment, as an interactive node-link diagram (time left to right)."""

import plotly.graph_objects as go
import streamlit as st

from dashboard.common import analysed_streams_or_stop, backend, span

st.title("Graph")
data = backend()
names = analysed_streams_or_stop()

c1, c2, c3 = st.columns(3)
stream = c1.selectbox("Stream", list(names), format_func=lambda s: names[s])
focus = c2.radio("Around", ["a moment", "an entity"], horizontal=True)
window = c3.slider("Window (s)", 5, 600, 30)
if focus == "a moment":
    moment = st.number_input("Around second", min_value=0.0, value=15.0, step=5.0)
    reach = float(window)
else:  # the entity's time in view, widened by the window on both sides
    choices = data.entities(streams=[stream])
    if not choices:
        st.info("No entities in this stream.")
        st.stop()
    picked = st.selectbox("Entity", choices, format_func=lambda n: f"{n['cls']} {span(n, 'first_seen', 'last_seen')}")
    moment = (picked["first_seen"] + picked["last_seen"]) / 2
    reach = (picked["last_seen"] - picked["first_seen"]) / 2 + window
around = data.neighbourhood(stream, moment, reach)
events, entities, links = around["events"], around["entities"], around["links"]
st.caption(f"{len(events)} events, {len(entities)} entities within {reach:.0f} s of {moment:.0f} s")
if not events:
    st.stop()

# layout: events on the top row at their time, entities below at the middle of their time in view
kinds = sorted({e["cls"] for e in entities})
types = sorted({e["type"] for e in events})
position = {e["id"]: (e["t0"], 1.0 + 0.35 * types.index(e["type"])) for e in events}  # a row per event type
position.update(
    {n["id"]: ((n["first_seen"] + n["last_seen"]) / 2, -0.2 - 0.4 * kinds.index(n["cls"])) for n in entities}
)
edge_x, edge_y = [], []
for link in links:
    (x0, y0), (x1, y1) = position[link["event_id"]], position[link["id"]]
    edge_x += [x0, x1, None]
    edge_y += [y0, y1, None]
figure = go.Figure()
figure.add_trace(go.Scatter(x=edge_x, y=edge_y, mode="lines", line={"width": 1, "color": "#bbb"}, hoverinfo="skip",
                            showlegend=False))
for kind in types:
    rows = [e for e in events if e["type"] == kind]
    figure.add_trace(go.Scatter(x=[position[e["id"]][0] for e in rows], y=[position[e["id"]][1] for e in rows],
                                mode="markers", name=kind, marker={"size": 14, "symbol": "diamond"},
                                hovertext=[f"{span(e)} {e['description']}" for e in rows], hoverinfo="text"))
figure.add_trace(go.Scatter(x=[position[n["id"]][0] for n in entities], y=[position[n["id"]][1] for n in entities],
                            mode="markers+text", name="entities", text=[n["cls"] for n in entities],
                            textposition="bottom center", marker={"size": 22},
                            hovertext=[f"{n['cls']} in view {span(n, 'first_seen', 'last_seen')}" for n in entities],
                            hoverinfo="text"))
figure.update_layout(height=420, xaxis_title="seconds from the start of the stream", yaxis={"visible": False},
                     dragmode="pan")
st.plotly_chart(figure, width="stretch", key="graph")
