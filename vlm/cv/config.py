"""Settings of the offline ``cv`` perception (section ``[cv]``, variables ``VIDGRAPH_CV_<KEY>``): the ``cv``
backend, and the tracker under a VLM in hybrid mode."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

# The detector lives beside the project in this workplace (../shared/models); deployments set the path.
_REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DETECTOR_CANDIDATES = (
    _REPO_ROOT.parent / "shared" / "models" / "centernet.onnx",
    _REPO_ROOT / "models" / "centernet.onnx",
)


STILL_SWEEPS = 2.5  # a still object is looked at only by sweeps: it is given up after missing this many


class CVSettings(BaseModel):
    detector_path: Path | None = Field(
        default=None, description="CenterNet ONNX file; unset: look beside the project, else run motion-only"
    )
    motion_only: bool = Field(default=False, description="skip the detector even if a model file exists")
    detect_fps: float = Field(default=2.5, gt=0, le=30, description="detector runs per second while anything moves")
    sweep_s: float = Field(default=2.0, gt=0, le=60, description="the whole frame is looked at least this often, "
                                                                 "so what stands still is found and kept")
    idle_sweep_s: float = Field(default=10.0, gt=0, le=600, description="with nothing in view and nothing "
                                "moving, sweeps come this rarely (what arrives later moves in, and motion is seen)")
    tiles: bool = Field(default=True, description="frames much larger than the detector's input are also read "
                                                  "in tiles (small, far objects)")
    score_threshold: float = Field(default=0.35, ge=0, le=1, description="detector score that starts a track "
                                                                          "(weaker boxes only continue one)")
    confirm_hits: int = Field(default=3, ge=1, description="detections before a track is an object")
    confirm_score: float = Field(default=0.45, ge=0, le=1, description="best detector score a track needs")
    track_linger_s: float = Field(default=1.5, gt=0, description="a track unseen this long at the edge has left")
    reid_s: float = Field(default=3.0, ge=0, description="a track lost inside the picture is resumed this long")
    still_s: float = Field(default=2.0, gt=0, description="staying put this long is standing still (stopped)")
    dwell_s: float = Field(default=30.0, gt=0, description="an entity in view this long gets a dwell event")
    proximity_m: float = Field(default=2.0, gt=0, description="person-vehicle gap that raises a proximity event")
    threads: int = Field(default=2, ge=1, description="onnxruntime threads (decoding runs beside them)")

    @property
    def unseen_s(self) -> float:
        """The longest a track stays open unseen before it is closed (a still one between sweeps, one lost inside
        the picture, one at the edge): a track still open was seen at least this recently."""
        return max(self.track_linger_s, self.reid_s, STILL_SWEEPS * self.sweep_s)

    def resolve_detector(self) -> Path | None:
        """The detector file to use, ``None`` for motion-only; a configured path that is missing is an error."""
        if self.motion_only:
            return None
        if self.detector_path is not None:
            if not self.detector_path.is_file():
                raise FileNotFoundError(f"detector model not found: {self.detector_path}")
            return self.detector_path
        return next((p for p in DEFAULT_DETECTOR_CANDIDATES if p.is_file()), None)
