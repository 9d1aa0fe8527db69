"""One error family for bad video input, whatever library noticed the problem.

decord raises ``DECORDError`` or ``RuntimeError``, PyAV raises ``InvalidDataError`` or ``FileNotFoundError``;
callers only ever see a :class:`VideoInputError` whose message is one line naming the file and the problem.
"""

from __future__ import annotations


class VideoInputError(Exception):
    """A video input cannot be analysed. ``str(err)`` is a one-line message naming the file and the problem."""

    reason = "unreadable video"

    def __init__(self, path: str, detail: str = "") -> None:
        self.path = str(path)
        self.detail = " ".join(detail.split())  # one line, whatever the library printed
        message = f"{self.path}: {self.reason}"
        super().__init__(f"{message} ({self.detail})" if self.detail else message)


class InputNotFound(VideoInputError):
    reason = "no such file"


class NotAVideo(VideoInputError):
    reason = "not a video"


class TruncatedVideo(VideoInputError):
    reason = "truncated video"


class DecodeFailed(VideoInputError):
    reason = "decoding failed"
