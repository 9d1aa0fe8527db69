"""Stage 4 - query: questions in, answers with timestamped citations out; reports and alerts.

:func:`ask` plans a question (:func:`parse_question`: intent, object classes, direction, zone, stream, time
window in offsets, clock times or "the last N minutes") and answers it exactly from the graph where its shape
allows (counts, first/last, which, how often, durations, sequences). Other questions are open questions
(:mod:`query.openqa`): evidence retrieved within the question's filters, answered by the configured LLM with
the evidence cited, or shown as ranked evidence when there is none. Every answer carries :class:`Citation`
objects (stream, t0-t1, thumbnail, entity and event ids); nothing is guessed.

:mod:`query.report` renders incident reports (md, html, pdf); :mod:`query.around` reads what happened around
a moment (the dashboard's graph view). Alert rules are evaluated as events are written, in ``alerts/``.
"""

from query.answer import Answer, Citation
from query.ask import AmbiguousStream, NoQuestion, UnknownStream, ask
from query.coverage import streams_as_read
from query.parse import Question, parse_question

__all__ = ["AmbiguousStream", "Answer", "Citation", "NoQuestion", "Question", "UnknownStream", "ask", "parse_question",
           "streams_as_read"]
