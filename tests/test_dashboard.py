"""Each dashboard page's logic, run headless by Streamlit's AppTest against the analysed car clip (with
zones and alert rules), in-process; and the service-mode backend against the real API."""

from __future__ import annotations

import json

import pytest
import streamlit as st
from conftest import REPO, analysed_site
from streamlit.testing.v1 import AppTest

from pipeline import open_graph

PAGES = REPO / "dashboard" / "views"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return analysed_site(tmp_path_factory.mktemp("dashboard"))


@pytest.fixture
def env(site, monkeypatch):
    monkeypatch.setenv("VIDGRAPH_DATA_DIR", str(site.data_dir))
    monkeypatch.setenv("VIDGRAPH_ALERTS_RULES_FILE", str(site.alerts.rules_file))
    monkeypatch.delenv("VIDGRAPH_DASHBOARD_API_URL", raising=False)
    monkeypatch.delenv("VIDGRAPH_DASHBOARD_PASSWORD", raising=False)
    st.cache_resource.clear()
    yield site
    st.cache_resource.clear()


def page(name: str) -> AppTest:
    app = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    return app


def test_sources_lists_streams_and_refuses_bad_input(env, tmp_path):
    app = page("sources")
    [table] = app.dataframe
    assert list(table.value["stream"]) == ["car"] and list(table.value["status"]) == ["complete"]
    (tmp_path / "notes.txt").write_text("not a video")
    app.text_input[0].input(str(tmp_path / "notes.txt"))
    app.button[0].click()
    app.run()
    assert "not a video" in app.error[0].value
    app.text_input[2].input("file:///etc/passwd")
    app.text_input[3].input("cam")
    app.button[1].click()
    app.run()
    assert "scheme must be one of" in app.error[0].value
    app.text_input[2].input("http://169.254.169.254/latest/meta-data")
    app.button[1].click()
    app.run()
    assert "never allowed" in app.error[0].value


def test_timeline_filters_and_shows_the_picked_event(env):
    app = page("timeline")
    assert "20 of 20 events" in app.caption[0].value
    app.multiselect[1].set_value(["line_cross"])
    app.run()
    assert "4 of 20 events" in app.caption[0].value
    assert "crossed midline" in app.subheader[0].value
    assert app.get("imgs") or app.get("image"), "the picked event's frame is shown"


def test_graph_links_events_to_entities_around_a_moment(env):
    app = page("graph")
    app.number_input[0].set_value(16.0)
    app.slider[0].set_value(5)
    app.run()
    with open_graph(env, read_only=True) as store:
        expected = len(store.events(streams=["car"], t0=11.0, t1=21.0))
    caption = app.caption[0].value
    # the two cars in view together around 16 s (the silver and the red one), and every event of theirs
    assert caption.startswith(f"{expected} events, 2 entities within 5 s of 16 s"), caption
    assert expected >= 6
    # explore: 7-17 s holds only part of each car's events; a car's neighbours (clicked in the diagram, or
    # picked below it) bring the rest in
    app.number_input[0].set_value(12.0)
    app.run()
    before = app.caption[1].value  # "N nodes and M links shown; 0 expanded"
    assert before.endswith("0 expanded"), before
    options = app.selectbox[1].options  # as shown: "entity: red car #2", "event: enter 0:14.6", ...
    cars = [i for i, o in enumerate(options) if o.startswith("entity:") and "car #" in o]
    assert cars, options
    app.selectbox[1].select_index(cars[-1])
    app.run()
    assert "car" in app.json[0].value and app.button[0].label == "Expand its neighbours"
    app.button[0].click()
    app.run()
    assert not app.exception, app.exception
    assert app.caption[1].value.endswith("1 expanded"), app.caption[1].value
    new = sorted(set(app.selectbox[1].options) - set(options))
    times = [float(o.rsplit(" ", 1)[1].split(":")[1]) for o in new if o.startswith("event:")]
    assert times and any(t < 7.0 or t > 17.0 for t in times), new  # its events outside the window
    app.radio[0].set_value("an entity")
    app.run()
    app.selectbox[1].set_value(app.selectbox[1].options[0])  # the first car, in view 4.6-8.6 s
    app.run()
    assert "1 entities" in app.caption[0].value or ", 1 entit" in app.caption[0].value, app.caption[0].value


def test_entity_story_shows_one_car_with_its_events_thumbnails_and_clip(env):
    """The red car (facts: in view ~15-18.8 s): its page names it, shows how long it was in view, its events
    in time order with their zones, its thumbnails, and plays its clip."""
    with open_graph(env, read_only=True) as store:
        cars = store.entities(cls="car")
        red = [n for n in cars if n["attributes"].get("colour") == "red"]
        events = store.entity_story(red[0]["id"])["events"]
    assert len(red) == 1 and events and events == sorted(events, key=lambda e: (e["t0"], e["id"]))
    app = page("entity")
    options = app.selectbox[1].options
    app.selectbox[1].set_value(red[0]["id"])
    app.run()
    assert not app.exception, app.exception
    assert app.subheader[0].value.startswith("red car (track"), app.subheader[0].value
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["In view"].startswith("0:1") and metrics["Colour (confidence)"].startswith("red (")
    assert metrics["Class (confidence)"].startswith("car (")
    table = app.dataframe[0].value
    assert list(table["event"]) == [e["type"] for e in events] and "enter" in list(table["event"])
    assert any(table["zone"]), "the zone events say which zone"
    assert len(app.get("imgs")) >= 2 or len(app.get("image")) >= 2, "the best view and event frames"
    # an event's picture is its chunk's: captioned "enter at 0:15.0", it claimed to show the moment
    captions = [img.caption for element in app.get("image") for img in element.proto.imgs]
    assert any(c.startswith("enter at ") and c.endswith(": its chunk's picture") for c in captions), captions
    assert app.get("video"), "the appearance plays in place"
    assert len(options) == 4
    # the silver car: its colour reading cannot tell it from black (a shadowed silver car reads black)
    app.selectbox[1].set_value(next(n["id"] for n in cars if n["attributes"].get("colour") == "silver"))
    app.run()
    assert "Colour as read: silver; could be black" in " ".join(c.value for c in app.caption), app.caption


def test_ask_answers_with_citations(env):
    app = page("ask")
    app.chat_input[0].set_value("how many cars passed?")
    app.run()
    assert not app.exception
    texts = [m.value for m in app.markdown]
    assert any(t.startswith("4 cars") for t in texts), texts
    assert "4 citations" in [c.value for c in app.caption]


def test_ask_scopes_to_the_picked_stream_and_shows_what_was_not_checked(env):
    app = page("ask")
    assert app.multiselect[0].options == ["car-detection.mp4 (car)"]
    app.multiselect[0].set_value(["car"])
    app.chat_input[0].set_value("was there a red car?")
    app.run()
    texts = [m.value for m in app.markdown]
    assert any(t.startswith("Yes: 1 red car") for t in texts), texts
    app.chat_input[0].set_value("did a car honk its horn?")
    app.run()
    assert "honk" in app.warning[0].value and "horn" in app.warning[0].value, [w.value for w in app.warning]
    # a question about a stream that does not exist is an error, not "evidence shown as found" with none below
    app.chat_input[0].set_value("how many cars in nosuch-cam?")
    app.run()
    assert "nosuch-cam" in app.error[0].value, [e.value for e in app.error]
    assert not any(c.value.startswith("Not an exact answer") for c in app.caption), [c.value for c in app.caption]


def test_ask_draws_a_count_split_per_direction_as_bars(env):
    app = page("ask")
    app.chat_input[0].set_value("how many cars per direction?")
    app.run()
    assert not app.exception, app.exception
    texts = [m.value for m in app.markdown]
    assert any(t.startswith("4 cars; per direction: bottom to top 2, top to bottom 2") for t in texts), texts
    charts = app.get("vega_lite_chart")
    assert len(charts) == 1, [type(e).__name__ for e in app.main]
    # split two ways: the inner split along, a bar per outer one beside it (colour)
    app.chat_input[0].set_value("how many cars per direction per colour?")
    app.run()
    assert not app.exception, app.exception
    texts = [m.value for m in app.markdown]
    assert any(t.startswith("4 cars; per direction, then per colour read") for t in texts), texts
    spec = json.loads(app.get("vega_lite_chart")[-1].proto.spec)
    assert spec["encoding"]["color"]["field"] == "of" and spec["encoding"]["x"]["field"] == "group", spec

def test_reports_render_list_and_download(env):
    app = page("reports")
    assert app.info[0].value == "No reports yet."
    app.selectbox[0].set_value("md")
    app.button[0].click()
    app.run()
    assert app.success[0].value.startswith("rendered report-")
    assert len(app.expander) == 1 and "kB" in app.expander[0].label
    app2 = page("reports")
    assert not app2.info
    # one calendar day: the car clip's clock (its file's creation time) is 2018, and the report says so
    app2.text_input[1].input("2026-11-21")
    app2.selectbox[0].set_value("md")
    app2.button[0].click()
    app2.run()
    name = app2.success[0].value.removeprefix("rendered ")
    assert "car-detection.mp4: no footage on 2026-11-21 (UTC)" in (env.reports_dir / name).read_text()
    app2.text_input[1].input("next tuesday")
    app2.button[0].click()
    app2.run()
    assert "is not a day" in app2.error[0].value


def test_alerts_show_rules_and_firings(env):
    app = page("alerts")
    rules = app.dataframe[0].value
    assert list(rules["name"]) == ["down-lane", "car-crosses-midline", "person-within-2-m-of-a-forklift"]
    firings = [m.value for m in app.markdown if m.value.startswith("**")]
    assert len(firings) == 6 and sum("car-crosses-midline" in f for f in firings) == 4
    shown = [c.value for c in app.caption if " @ " in c.value]  # the newest first (a month's page showed its first)
    starts = [c.split(" @ ")[1].split()[0].split("-")[0] for c in shown]  # "0:25.4"
    seconds = [sum(float(part) * 60 ** i for i, part in enumerate(reversed(t.split(":")))) for t in starts]
    assert len(seconds) == 6 and seconds == sorted(seconds, reverse=True), shown


def test_a_password_gates_everything(env, monkeypatch):
    monkeypatch.setenv("VIDGRAPH_DASHBOARD_PASSWORD", "s3cret")
    st.cache_resource.clear()
    app = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=60)
    app.run()
    assert [t.label for t in app.text_input] == ["Password"] and not app.dataframe
    app.text_input[0].input("wrong").run()
    assert app.error[0].value == "Wrong password."
    app.text_input[0].input("s3cret").run()
    assert not app.error and app.title[0].value == "Sources"


def test_service_mode_reads_through_the_api(env):
    from fastapi.testclient import TestClient

    from dashboard.data import ApiBackend
    from vidgraph.api import create_app

    settings = env.with_overrides(service={"api_token": "tok"})
    with TestClient(create_app(settings)) as client:
        api = ApiBackend(settings, client=client)
        assert [s["id"] for s in api.streams()] == ["car"]
        assert len(api.events(types=["line_cross"])) == 4 and len(api.entities(cls="car")) == 4
        assert api.ask("how many cars passed?")["value"] == 4
        around = api.neighbourhood("car", 16.0, 5.0)
        assert len(around["entities"]) == 2 and len(around["events"]) == len(api.events(t0=11.0, t1=21.0))
        assert len(api.alerts()) == len(api.alerts("car")) == 6 and api.alerts("elsewhere") == []
        assert [a["id"] for a in api.alerts(limit=2)] == [a["id"] for a in api.alerts()[:2]]  # a page, not a month
        latest = sorted(api.alerts(), key=lambda a: (a["t0"], a["id"]), reverse=True)
        assert [a["id"] for a in api.alerts(limit=3, newest=True)] == [a["id"] for a in latest[:3]]
        # the graph view's alerts are those of the moment's window (it read every firing of the stream)
        inside = {a["id"] for a in api.alerts() if 11.0 <= a["t0"] <= 21.0}
        assert {a["id"] for a in around["alerts"]} == inside != set()
        assert api.rules()[0]["name"] == "down-lane"
        first = api.events()[0]
        assert api.image(first["thumbnail"]).startswith(b"\xff\xd8")  # a JPEG, through /thumbnails
        assert api.image("/etc/passwd") is None
        car = api.entities(cls="car")[0]
        story = api.entity_story(car["id"])
        assert story["entity"]["id"] == car["id"] and story["events"][0]["type"] == "enter"
        assert api.entity_story("car/nope/ent/track-99") is None  # the API's 404, as the local backend's None


def test_streams_with_the_same_file_name_stay_apart(tmp_path, monkeypatch):
    """Two cameras' files are both called cam.mp4: every picker shows them apart, and the Timeline keeps both."""
    import shutil as sh

    from conftest import CAR_CLIP, make_settings

    from pipeline import analyze_file, open_graph

    settings = make_settings(tmp_path / "data")
    with open_graph(settings) as store:
        for folder in ("north", "south"):
            (tmp_path / folder).mkdir()
            sh.copy(CAR_CLIP, tmp_path / folder / "cam.mp4")
            analyze_file(tmp_path / folder / "cam.mp4", settings, store, stream_id=f"cam-{folder}")
    monkeypatch.setenv("VIDGRAPH_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("VIDGRAPH_DASHBOARD_API_URL", raising=False)
    monkeypatch.delenv("VIDGRAPH_DASHBOARD_PASSWORD", raising=False)
    st.cache_resource.clear()
    timeline = page("timeline")
    assert timeline.multiselect[0].options == ["cam.mp4 (cam-north)", "cam.mp4 (cam-south)"]
    assert "16 of 16 events" in timeline.caption[0].value  # both streams: 8 events each
    ask = page("ask")
    assert ask.multiselect[0].options == ["cam.mp4 (cam-north)", "cam.mp4 (cam-south)"]
    st.cache_resource.clear()


def test_sources_refreshes_while_work_runs(env, tmp_path):
    import shutil as sh
    import time as clock_time

    from conftest import CAR_CLIP

    sh.copy(CAR_CLIP, tmp_path / "gate.mp4")
    app = page("sources")
    assert app.caption[-1].value == "up to date"
    app.text_input[0].input(str(tmp_path / "gate.mp4"))
    app.button[0].click()
    app.run()
    assert app.caption[-1].value == "refreshing every 2 s"
    deadline = clock_time.monotonic() + 120
    while app.caption[-1].value != "up to date":
        assert clock_time.monotonic() < deadline, "the file never finished"
        clock_time.sleep(1)
        app.run()
    assert any(s.startswith("gate-") for s in app.dataframe[0].value["stream"])


def test_timeline_reads_the_wall_clock_and_plays_the_moment(env):
    """The car clip records its creation time (2018-04-19 22:46:00 UTC): the axis is that clock, and the
    picked event's moment plays in place from the file."""
    import json

    app = page("timeline")
    [chart] = app.get("plotly_chart")
    spec = json.loads(chart.proto.spec)
    assert spec["layout"]["xaxis"]["title"]["text"] == "wall clock (UTC)"
    assert str(spec["data"][0]["x"][0]).startswith("2018-04-19T22:46:")
    [video] = app.get("video")
    assert video.proto.start_time == 3  # a second before the first event (a car entering at 0:04.4)


def test_timeline_refreshes_itself_while_a_stream_is_live(env, tmp_path, monkeypatch):
    from graph import GraphBatch, StreamRecord

    assert page("timeline").caption[-1].value == "up to date"  # the analysed clip: nothing runs
    from conftest import make_settings

    settings = make_settings(tmp_path / "live-data")
    with open_graph(settings) as store:
        store.upsert_stream(StreamRecord(id="gate", uri="rtsp://127.0.0.1/live", name="gate", kind="live",
                                         duration=30.0, fps=5.0, width=768, height=432, status="live", run="r",
                                         settings="{}", start=1_700_000_000.0))
        batch = GraphBatch()
        batch.events.append({"id": "gate/r/ev/enter-0", "stream_id": "gate", "run": "r", "type": "enter", "t0": 3.0,
                             "t1": 3.0, "confidence": 0.9, "label": "car", "description": "car 0 entered",
                             "attributes": "{}", "thumbnail": ""})
        store.write_batch(batch)
    monkeypatch.setenv("VIDGRAPH_DATA_DIR", str(settings.data_dir))
    st.cache_resource.clear()
    app = page("timeline")
    assert app.caption[0].value == "1 of 1 events"
    assert app.caption[-1].value == "refreshing every 5 s while work runs"

