"""Stage 4 - query: questions in, answers with timestamped citations out.

:func:`ask` parses a question into a structured :class:`Question` (intent, object class, direction, time
window, streams) and answers it exactly from the graph. Every answer carries :class:`Citation` objects
(stream, t0-t1, thumbnail). A question it cannot parse gets an honest "can't answer that yet" with the
most relevant segments as evidence, never a guess.
"""

from query.answer import Answer, Citation
from query.ask import ask
from query.parse import Question, parse_question

__all__ = ["Answer", "Citation", "Question", "ask", "parse_question"]
