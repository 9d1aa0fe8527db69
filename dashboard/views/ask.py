"""Ask: questions in a chat; every answer shows its citations as thumbnails that open the clip at that time."""

import pandas as pd
import streamlit as st

from dashboard.common import backend, play, span, stream_names, thumbnail

st.title("Ask")
data = backend()
history = st.session_state.setdefault("chat", [])


def show(answer: dict) -> None:
    if answer.get("error"):  # a question that could not be asked (an unknown stream): no answer, no evidence
        st.error(answer["text"])
        return
    st.markdown(answer["text"])
    if answer.get("not_checked"):
        st.warning("Not checked: " + "; ".join(answer["not_checked"]))
    elif not answer.get("supported", True):
        st.caption("Not an exact answer: the evidence below is shown as found, ranked for the question.")
    if split := answer.get("breakdown"):  # "per hour", "per lane": a bar each, in the answer's order
        cells = [group.split(" / ", 1) for group in split]
        if all(len(cell) == 2 for cell in cells):  # "per lane per hour" ("lane_up / 14:00"): a colour per lane
            st.bar_chart(pd.DataFrame({"group": [c[1] for c in cells], "of": [c[0] for c in cells],
                                       "count": list(split.values())}), x="group", y="count", color="of",
                         stack=False, sort=False)
        else:
            st.bar_chart(pd.DataFrame({"group": list(split), "count": list(split.values())}), x="group", y="count",
                         sort=False)
    cites = answer.get("citations", [])[:12]
    if not cites:
        return
    st.caption(f"{len(answer.get('citations', []))} citations")
    uris = {s["id"]: s.get("uri") for s in data.streams()}
    columns = st.columns(min(4, len(cites)))
    for i, cite in enumerate(cites):
        with columns[i % len(columns)]:
            thumbnail(cite.get("thumbnail"), caption=f"{cite['stream']} @ {span(cite)}", width=200)
            st.caption(cite["what"])
            with st.popover("Open clip"):
                if not play(uris.get(cite["stream_id"]), cite["t0"], cite["t1"]):
                    st.write(f"{cite['stream']} at {span(cite)}")


streams = stream_names()
picked = st.multiselect("Streams to ask about (none picked: all)", list(streams), key="ask_streams",
                        format_func=lambda i: streams[i])

for turn in history:
    with st.chat_message(turn["role"]):
        if turn["role"] == "user":
            st.markdown(turn["text"])
        else:
            show(turn["answer"])

if question := st.chat_input("Ask about the footage, e.g. how many cars passed?"):
    history.append({"role": "user", "text": question})
    with st.chat_message("user"):
        st.markdown(question)
    try:
        answer = data.ask(question, picked or None)
    except Exception as err:
        answer = {"text": f"Error: {err}", "citations": [], "supported": False, "error": True}
    history.append({"role": "assistant", "answer": answer})
    with st.chat_message("assistant"):
        show(answer)
