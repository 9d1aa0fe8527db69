"""Entity: one car or person's story - every appearance (this track and those linked to it as the same object,
in this camera or another), a thumbnail strip, its events and zones in time order, how long it was in view and
stood still, its class and colour with their confidence, and each appearance played in place."""


import streamlit as st

from common.text import clock
from dashboard.common import analysed_streams_or_stop, backend, label, play, span, thumbnail
from query.shapes import entity_name, said_colour

st.title("Entity")
data = backend()
names = analysed_streams_or_stop()


wanted = st.query_params.get("id")  # a link from another page: ?id=<entity id>
c1, c2 = st.columns([1, 2])
stream = c1.selectbox("Stream", list(names), format_func=lambda s: names[s],
                      index=next((i for i, s in enumerate(names) if wanted and wanted.startswith(s + "/")), 0))
choices = data.entities(streams=[stream])
if not choices:
    st.info("No entities in this stream.")
    st.stop()
ids = [n["id"] for n in choices]
picked: str = c2.selectbox("Entity", ids, index=ids.index(wanted) if wanted in ids else 0,
                      format_func=lambda i: (lambda n: f"{entity_name(n)} {span(n, 'first_seen', 'last_seen')}")(
                          choices[ids.index(i)]))
story = data.entity_story(picked)
if story is None:
    st.warning("This entity is no longer in the stream's current analysis.")
    st.stop()
entity, events, linked = story["entity"], story["events"], story["same_as"]
attributes = entity["attributes"]

st.subheader(f"{entity_name(entity)} in {label(entity['stream_id'], entity['stream'])}")
m = st.columns(3)  # few per row: a metric's value is cut, not wrapped
m[0].metric("In view", span(entity, "first_seen", "last_seen"))
m[1].metric("For", f"{entity['last_seen'] - entity['first_seen']:.1f} s")
m[2].metric("Stood still", f"{float(attributes.get('stationary_s') or 0):.1f} s")
m = st.columns(3)
m[0].metric("Class (confidence)", f"{entity['cls']} ({entity['confidence']:.2f})")
colour = attributes.get("colour")
m[1].metric("Colour (confidence)", f"{colour} ({float(attributes.get('colour_confidence') or 0):.2f})" if colour
            else "not measured")
m[2].metric("Direction", (entity["direction"] or "-").replace("_", " "))
if attributes.get("colour_could_be"):  # a black or grey reading may hide a dark colour
    st.caption(f"Colour as read: {said_colour(attributes)} (the reading names a hue only on clearly coloured paint).")
votes = attributes.get("votes") or {}
if len(votes) > 1:
    st.caption("Class votes over the track: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(
        votes.items(), key=lambda kv: -kv[1])))

st.markdown("**Thumbnails**")
strip = [(entity["thumbnail"], f"best view, {span(entity, 'first_seen', 'last_seen')}")]
# an event's picture is its chunk's (the frame with most motion), not the event's moment: said so
strip += [(e["thumbnail"], f"{e['type']} at {clock(e['t0'])}: its chunk's picture") for e in events if e["thumbnail"]]
strip += [(a["entity"]["thumbnail"], f"same as: {a['entity']['stream']} {span(a['entity'], 'first_seen', 'last_seen')}")
          for a in linked if a["entity"]["thumbnail"]]
columns = st.columns(min(6, max(1, len(strip))))
for i, (path, caption) in enumerate(strip[:12]):
    with columns[i % len(columns)]:
        thumbnail(path, caption=caption, width=200)

st.markdown(f"**Events** ({len(events)})")
if events:
    st.dataframe([{"time": span(e), "event": e["type"], "zone": e["attributes"].get("zone", ""),
                   "what": e["description"], "confidence": round(float(e["confidence"]), 2)} for e in events],
                 hide_index=True, width="stretch")
else:
    st.caption("No events recorded for it.")

st.markdown(f"**Appearances** ({1 + len(linked)})")
appearances = [(entity, 1.0, "this track")] + [(a["entity"], a["confidence"], a["reason"]) for a in linked]
st.dataframe([{"stream": label(n["stream_id"], n["stream"]), "in view": span(n, "first_seen", "last_seen"),
               "what": entity_name(n), "same object, confidence": round(float(conf), 2), "why": why}
              for n, conf, why in appearances], hide_index=True, width="stretch")
uris = {s["id"]: s.get("uri") for s in data.streams()}
for n, _, _ in appearances:  # play each appearance in place (files this machine can read)
    with st.expander(f"Play {label(n['stream_id'], n['stream'])} at {clock(n['first_seen'])}", expanded=n is entity):
        if not play(uris.get(n["stream_id"]), n["first_seen"], n["last_seen"]):
            st.caption("Its video is not a file this machine can read.")
