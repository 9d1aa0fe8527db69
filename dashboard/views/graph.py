"""Graph: explore the memory as a node-link diagram (streamlit-agraph, i.e. vis-network, bundled: nothing is
fetched from the internet). Start around a moment or an entity; click a node (or pick it below) to see its
properties and bring in its neighbours: an entity its events and the entities linked to it as the same object
(SAME_AS), an event the entities it involves. Entity nodes carry their thumbnails; filters by kind and class."""

import base64
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from PIL import Image
from streamlit_agraph import Config, Edge, Node, agraph

from common.text import clock, coloured
from dashboard.common import analysed_streams_or_stop, backend, span, thumbnail

KINDS = ("entity", "event", "zone", "segment", "alert")
COLOURS = {"event": "#f0a030", "zone": "#60a0e0", "segment": "#b0b0b0", "alert": "#e04040", "entity": "#50b070"}


@dataclass
class Memory:
    """The part of the graph on screen: nodes by id (kind, label, properties, thumbnail) and links."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    links: set[tuple[str, str, str]] = field(default_factory=set)

    def entity(self, n: Mapping[str, Any]) -> None:
        self.nodes.setdefault(n["id"], {"kind": "entity", "cls": n["cls"], "thumbnail": n.get("thumbnail"),
                                        "label": f"{coloured(n['attributes'].get('colour') or '', n['cls'], n['cls'])} "
                                                 f"#{n['attributes'].get('track', '?')}",
                                        "properties": {k: v for k, v in n.items() if k not in ("event_id", "role")}})

    def event(self, e: Mapping[str, Any], stream_id: str) -> None:
        self.nodes.setdefault(e["id"], {"kind": "event", "cls": e.get("label") or "", "thumbnail": e.get("thumbnail"),
                                        "label": f"{e['type']} {clock(e['t0'])}", "properties": dict(e)})
        if zone := (e.get("attributes") or {}).get("zone"):
            zid = f"zone:{stream_id}:{zone}"
            self.nodes.setdefault(zid, {"kind": "zone", "cls": "", "thumbnail": None, "label": f"zone {zone}",
                                        "properties": {"zone": zone, "stream_id": stream_id}})
            self.links.add((e["id"], zid, "AT"))
        if segment := e.get("segment_id"):
            self.nodes.setdefault(segment, {"kind": "segment", "cls": "", "thumbnail": e.get("thumbnail"),
                                            "label": f"segment {segment.rsplit('/', 1)[-1]}",
                                            "properties": {"id": segment, "thumbnail": e.get("thumbnail")}})
            self.links.add((e["id"], segment, "IN"))


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

start = (stream, round(moment, 1), round(reach, 1))
if st.session_state.get("graph_start") != start:  # a new starting point: nothing expanded yet
    st.session_state["graph_start"], st.session_state["graph_expanded"] = start, []
expanded: list[str] = st.session_state["graph_expanded"]

memory = Memory()
for e in events:
    memory.event(e, stream)
for n in entities:
    memory.entity(n)
memory.links |= {(link["event_id"], link["id"], link.get("role") or "INVOLVES") for link in links}
alerts = {a["event_id"]: a for a in around["alerts"] if a.get("event_id") in memory.nodes}
for event_id, a in alerts.items():
    memory.nodes[a["id"]] = {"kind": "alert", "cls": "", "thumbnail": a.get("thumbnail"),
                             "label": f"alert {a['rule']}", "properties": dict(a)}
    memory.links.add((a["id"], event_id, "TRIGGERED_BY"))
for node_id in expanded:  # the neighbours of every node clicked so far
    kind = memory.nodes.get(node_id, {}).get("kind")
    if kind == "entity" and (story := data.entity_story(node_id)):
        for e in story["events"]:
            memory.event({**e, "label": story["entity"]["cls"]}, story["entity"]["stream_id"])
            memory.links.add((e["id"], node_id, e.get("role") or "INVOLVES"))
        for other in story["same_as"]:
            memory.entity(other["entity"])
            memory.links.add((node_id, other["entity"]["id"], f"SAME_AS {other['confidence']:.2f}"))
    elif kind == "event":
        event = memory.nodes[node_id]["properties"]
        for link in data.neighbourhood(event.get("stream_id", stream), event["t0"], 1.0)["links"]:
            if link["event_id"] == node_id:
                memory.entity(link)
                memory.links.add((node_id, link["id"], link.get("role") or "INVOLVES"))

f1, f2 = st.columns(2)
shown_kinds = f1.multiselect("Show", KINDS, default=["entity", "event", "zone", "alert"])
classes = sorted({v["cls"] for v in memory.nodes.values() if v["kind"] == "entity"})
shown_classes = f2.multiselect("Classes", classes, default=classes)
visible = {i: v for i, v in memory.nodes.items()
           if v["kind"] in shown_kinds and (v["kind"] != "entity" or v["cls"] in shown_classes)}
shown_links = [(a, b, r) for a, b, r in sorted(memory.links) if a in visible and b in visible]
st.caption(f"{len(visible)} nodes and {len(shown_links)} links shown; {len(expanded)} expanded")


def image_of(path: str | None, box: list[float] | None) -> str | None:
    """The thumbnail as a data URL for the canvas, cut to a square around the boxed object: the round node
    shows the middle of the picture, which in a whole frame is often another object."""
    picture = data.image(path) if path else None
    if not picture:
        return None
    if box and len(box) == 4:
        image = Image.open(io.BytesIO(picture))
        w, h = image.size
        cx, cy = (box[0] + box[2]) / 2 * w, (box[1] + box[3]) / 2 * h
        half = max((box[2] - box[0]) * w, (box[3] - box[1]) * h) * 0.6
        out = io.BytesIO()
        image.crop((round(cx - half), round(cy - half), round(cx + half), round(cy + half))).save(out, "JPEG")
        picture = out.getvalue()
    return f"data:image/jpeg;base64,{base64.b64encode(picture).decode()}"


nodes = []
for node_id, v in visible.items():
    picture = image_of(v["thumbnail"], v["properties"]["attributes"].get("thumbnail_box")) if v["kind"] == "entity" \
        else None
    extra = {"shape": "circularImage", "image": picture, "borderWidth": 4} if picture else {
        "shape": {"event": "diamond", "zone": "box", "segment": "square", "alert": "triangle"}.get(v["kind"], "dot")}
    nodes.append(Node(id=node_id, label=v["label"], title=f"{v['kind']}: {v['label']}", size=28 if picture else 14,
                      color={"border": COLOURS[v["kind"]], "background": COLOURS[v["kind"]]}, font={"size": 13},
                      **extra))
edges = [Edge(source=a, target=b, label=r, font={"size": 9}) for a, b, r in shown_links]
clicked = agraph(nodes=nodes, edges=edges, config=Config(width="100%", height=560, directed=True, physics=True,
                                                         hierarchical=False))
ids = list(visible)
chosen = st.selectbox("Node (click one above, or pick it here)", ids,
                      index=ids.index(clicked) if clicked in ids else 0,
                      format_func=lambda i: f"{visible[i]['kind']}: {visible[i]['label']}")
node = visible[chosen]
neighbours = sorted({b if a == chosen else a for a, b, _ in shown_links if chosen in (a, b)},
                    key=lambda i: (visible[i]["kind"], visible[i]["label"]))
pictured = [i for i in neighbours if visible[i]["thumbnail"]][:12]
left, right = st.columns([1, 2])
with left:
    thumbnail(node["thumbnail"], caption=node["label"], width=260)
    if node["kind"] in ("entity", "event") and chosen not in expanded and st.button("Expand its neighbours"):
        expanded.append(chosen)
        st.rerun()
    if node["kind"] == "entity":
        st.caption("Its whole story (appearances, events, clips) is on the Entity page.")
with right:  # the canvas draws thumbnails small: here they are readable
    st.markdown(f"**Its neighbours ({len(neighbours)})**")
    for row in range(0, len(pictured), 4):
        for column, node_id in zip(st.columns(4), pictured[row:row + 4], strict=False):
            with column:
                thumbnail(visible[node_id]["thumbnail"], width=150,
                          caption=f"{visible[node_id]['kind']}: {visible[node_id]['label']}")
    st.caption(", ".join(f"{visible[i]['kind']}: {visible[i]['label']}" for i in neighbours if i not in pictured))
with st.expander("Properties", expanded=True):
    st.json({k: v for k, v in node["properties"].items() if k != "attributes" or node["kind"] != "entity"} | (
        {"attributes": {k: v for k, v in node["properties"]["attributes"].items() if k != "appearance"}}
        if node["kind"] == "entity" else {}), expanded=1)
if clicked and clicked in visible and clicked not in expanded and visible[clicked]["kind"] in ("entity", "event"):
    expanded.append(clicked)  # a click on the diagram brings in the node's neighbours
    st.rerun()
