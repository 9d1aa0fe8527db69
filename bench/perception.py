"""Perception measured on every clip of the development set, against the frame-checked facts, side by side with
the plain recipe from supervision's docs (the same detector on every sampled frame + ByteTrack).

    .venv/bin/python bench/perception.py [--clips car,classroom] [--sample-fps 5] [--no-baseline]

Per clip and overall: distinct objects counted per family (vehicle, person, bicycle) against the truth (exact,
or a bound where the facts give one), the most in view at once, first/last-seen errors of the objects matched
to the truth (by time overlap, one to one), class confusions, colour hits, objects the facts say move toward the
camera read as coming closer (and standing ones read as moving closer or away), which facts hold, and the realtime
factor (video seconds per wall second, model load included); for vidgraph also the largest share of a chunk's
moving area that no detection of a counted class covered ("unexplained max"; over 0.5, answers that are a "none"
there say "not checked"). Truth: ``tests/devset.py``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from devset import ClipTruth, TruthObject, family_of, load, most_in_view

from pipeline import analyze_file, open_graph
from pipeline.settings import Settings

FAMILIES = ("vehicle", "person", "bicycle")


@dataclass(slots=True)
class Seen:
    """An object as a perception reported it."""

    cls: str
    first: float
    last: float
    colour: str | None = None
    stationary: bool | None = None
    exit_edge: str | None = None
    approach: str | None = None  # came "closer" to the camera, "farther", "neither", "unclear" (vidgraph only)

    @property
    def family(self) -> str:
        return family_of(self.cls)


@dataclass(slots=True)
class Result:
    name: str
    seen: list[Seen]
    seconds: float
    checks: list[tuple[str, bool]] = field(default_factory=list)
    # per chunk, the share of the moving area no detection of a counted class covered (vidgraph only; over half
    # in a chunk, a "none" there is "not checked")
    unexplained: list[float] = field(default_factory=list)


def ours(clip: ClipTruth, sample_fps: float) -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp)).with_overrides(ingest={"sample_fps": sample_fps})
        settings = settings.model_copy(update={"zones_file": clip.site})
        start = time.perf_counter()
        with open_graph(settings) as store:
            analyze_file(clip.path, settings, store, stream_id="clip")
            seconds = time.perf_counter() - start
            seen = [Seen(e["cls"], e["first_seen"], e["last_seen"], e["attributes"].get("colour"),
                         e["attributes"].get("stationary"), e["attributes"].get("exit_edge"),
                         e["attributes"].get("approach"))
                    for e in store.entities()]
            unexplained = [s["unexplained"] for s in store.segments() if s["unexplained"] >= 0]
    return Result("vidgraph", seen, seconds, unexplained=unexplained)


def baseline(clip: ClipTruth, sample_fps: float) -> Result:
    """supervision's recipe: detect every sampled frame, ByteTrack, each tracker id an object. The tracker's
    activation threshold is set to the detector's score threshold (its default, 0.7, is above what this
    detector scores most objects: nothing would be tracked); everything else is the library's default."""
    import supervision as sv
    from trackers import ByteTrackTracker

    from common.site import load_camera
    from ingest import open_source
    from vlm.cv.config import CVSettings
    from vlm.cv.detector import CenterNetDetector
    from vlm.cv.geometry import nearest_edge
    from vlm.cv.labels import LabelMap

    start = time.perf_counter()
    path = CVSettings().resolve_detector()
    assert path is not None, "the detector model is needed"
    detector = CenterNetDetector(path, threads=1, min_score=0.3)
    tracker = ByteTrackTracker(frame_rate=sample_fps, track_activation_threshold=0.3, high_conf_det_threshold=0.3)
    labels = LabelMap(load_camera(clip.site, "clip"))  # the same camera table as ours: the user would map too
    spans: dict[int, list[float]] = {}
    last_box: dict[int, np.ndarray] = {}
    classes: dict[int, Counter[str]] = {}
    wanted = {"person", "bicycle", "car", "motorcycle", "bus", "truck"}
    size = (0, 0)
    for _, t, picture in open_source(clip.path).frames(sample_fps=sample_fps):
        rgb = picture.rgb()
        size = (rgb.shape[1], rgb.shape[0])
        detections = detector.detect(rgb)
        if len(detections):
            area = float(size[0] * size[1])
            names = [labels.label(int(c), float((b[2] - b[0]) * (b[3] - b[1])) / area)
                     for c, b in zip(detections.class_id, detections.xyxy, strict=True)]
            keep = np.array([n is not None and n.cls in wanted for n in names])
            detections = detections[keep]
            detections.data["name"] = np.array([n.cls for n in names if n is not None and n.cls in wanted])
        tracked = tracker.update(detections if len(detections) else sv.Detections.empty())
        if tracked.tracker_id is None or not len(tracked):
            continue
        for tid, box, name in zip(tracked.tracker_id, tracked.xyxy, tracked.data.get("name", []), strict=False):
            if tid < 0:
                continue
            spans.setdefault(int(tid), [t, t])[1] = t
            last_box[int(tid)] = box
            classes.setdefault(int(tid), Counter())[str(name)] += 1
    seen = [Seen(classes[tid].most_common(1)[0][0], a, b, exit_edge=nearest_edge(last_box[tid], *size))
            for tid, (a, b) in spans.items()]
    return Result("supervision recipe", seen, time.perf_counter() - start)


def match(truth: list[TruthObject], seen: list[Seen]) -> list[tuple[TruthObject, Seen]]:
    """One-to-one by temporal IoU within a family (at least 0.2), and by the edge it leaves at where the facts
    give one: on a motorway with dozens of cars in view, time alone pairs a car with another lane's."""
    pairs = []
    for family in FAMILIES:
        ts = [o for o in truth if o.family == family]
        ss = [s for s in seen if s.family == family]
        if not ts or not ss:
            continue
        iou = np.zeros((len(ts), len(ss)))
        for i, o in enumerate(ts):
            for j, s in enumerate(ss):
                inter = max(0.0, min(o.last, s.last) - max(o.first, s.first))
                union = max(o.last, s.last) - min(o.first, s.first)
                iou[i, j] = inter / union if union > 0 else 0.0
                if o.exit_edge and s.exit_edge != o.exit_edge:
                    iou[i, j] = 0.0  # it leaves elsewhere (where the facts say): another object
        for i, j in zip(*linear_sum_assignment(-iou), strict=True):
            if iou[i, j] >= 0.2:
                pairs.append((ts[i], ss[j]))
    return pairs


def evaluate(clip: ClipTruth, result: Result) -> dict[str, object]:
    counts = Counter(s.family for s in result.seen)
    row: dict[str, object] = {}
    for family, expected in clip.counts.items():
        got = counts.get(family, 0)
        row[f"{family}s"] = f"{got}/{expected}"
        result.checks.append((f"{family} count {got} (truth {expected})", expected.holds(got)))
    for family, expected in clip.in_view.items():
        got = most_in_view([(s.first, s.last) for s in result.seen if s.family == family])
        row[f"{family}s at once"] = f"{got}/{expected}"
        result.checks.append((f"most {family}s in view {got} (truth {expected})", expected.holds(got)))
    if clip.leaving is not None:
        edges, expected, what = clip.leaving
        got = sum(1 for s in result.seen if s.family == "vehicle" and s.exit_edge in edges and not s.stationary)
        row["leaving"] = f"{got}/{expected}"
        result.checks.append((f"vehicles leaving at the {'/'.join(sorted(edges))}: {got} ({what})",
                              expected.holds(got)))
    pairs = match(clip.objects, result.seen)
    first = [abs(s.first - o.first) for o, s in pairs]
    last = [abs(s.last - o.last) for o, s in pairs]
    timely = [abs(s.first - o.first) <= o.first_tol and abs(s.last - o.last) <= o.last_tol for o, s in pairs]
    row["matched"] = f"{len(pairs)}/{len(clip.objects)}"
    row["first err"] = f"{np.median(first):.2f}/{max(first):.2f}" if first else "-"
    row["last err"] = f"{np.median(last):.2f}/{max(last):.2f}" if last else "-"
    result.checks.append((f"first/last seen within tolerance for {sum(timely)} of {len(pairs)} matched",
                          all(timely) and bool(pairs) == bool(clip.objects)))
    confusions = Counter(f"{o.cls}->{s.cls}" for o, s in pairs if s.cls != o.cls.split("+")[0])
    row["confusions"] = ", ".join(f"{k} x{v}" for k, v in confusions.most_common(3)) or "-"
    coloured = [(o, s) for o, s in pairs if o.colour]
    hits = sum(1 for o, s in coloured if s.colour and _colour_hit(o.colour, s.colour))
    row["colour"] = f"{hits}/{len(coloured)}" if coloured else "-"
    # toward the camera (facts) read as "closer"; standing still (facts) never read as closer or farther
    toward = [s for o, s in pairs if o.toward]
    still = [s for o, s in pairs if o.toward is False]
    if toward or still:
        wrong = sum(1 for s in still if s.approach in ("closer", "farther"))
        row["toward camera"] = f"{sum(1 for s in toward if s.approach == 'closer')}/{len(toward)} ({wrong} still moved)"
    row["x realtime"] = f"{clip.duration / result.seconds:.1f}"
    if result.unexplained:
        row["unexplained max"] = f"{max(result.unexplained):.2f}"
    return row


def _colour_hit(truth: str, named: str) -> bool:
    """A named colour matches the facts' words (``grey/silver`` and ``silver`` both match ``grey``)."""
    truth_words = set(truth.replace("/", " ").replace("-", " ").split())
    synonyms = {"grey": {"grey", "silver", "gray"}, "silver": {"grey", "silver"}}
    return bool(synonyms.get(named, {named}) & truth_words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clips", help="comma-separated parts of clip names (default: all)")
    parser.add_argument("--sample-fps", type=float, default=5.0)
    parser.add_argument("--no-baseline", action="store_true", help="skip the supervision recipe")
    args = parser.parse_args()
    clips = [c for c in load() if not args.clips or any(p in c.file for p in args.clips.split(","))]
    runners = [ours] + ([] if args.no_baseline else [baseline])
    totals: dict[str, list[bool]] = {}
    for clip in clips:
        print(f"\n{clip.file} ({clip.duration:.1f} s)" + "".join(f"\n  note: {n}" for n in clip.notes))
        for runner in runners:
            result = runner(clip, args.sample_fps)
            row = evaluate(clip, result)
            print(f"  {result.name:20} " + "  ".join(f"{k} {v}" for k, v in row.items()))
            for text, ok in result.checks:
                print(f"      {'ok  ' if ok else 'MISS'} {text}")
            totals.setdefault(result.name, []).extend(ok for _, ok in result.checks)
    print()
    for name, oks in totals.items():
        print(f"{name}: {sum(oks)} of {len(oks)} facts hold")


if __name__ == "__main__":
    main()
