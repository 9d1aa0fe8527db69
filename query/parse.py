"""Rule-based question planning: intent, object classes, qualifiers, zone, stream, time, anchor, and what is left.

Deliberately literal: anything it does not recognise leaves the question ``intent="open"``; the caller then
answers from retrieved evidence (and an LLM when one is configured) instead of guessing a number.

Structured intents, answered exactly from the graph (``query.ask``):

- ``count`` "how many cars ...", ``times`` "how often / how many times did a car cross the midline"
  (events, not objects), ``which`` "which cars drove top to bottom", ``exists``, ``first``, ``last``,
  ``when``, ``duration``, ``near`` (person-vehicle proximity events), ``together`` "how many cars were in view
  at the same time", ``extreme`` "which direction did most cars go".
- qualifiers the graph can check: a colour (``red car``), standing still (``parked``, ``stopped``,
  ``standing still``), together / at the same time / at once, a number (``two people``, ``more than 10``),
  longest / shortest, a moment (``at 0:15``, ``at 14:05``), a direction, a zone or line, a stream;
- a sequence: "after the first car left, how many cars appeared?" anchors the window on an entity's exit or
  entry and asks the rest of the question after it.

Every word is accounted for: what no recogniser took and is not a filler word ("the", "were", "drive", ...) is
kept in ``Question.unchecked``, and the answer says it was not checked instead of answering a simpler
question ("did the worker wear a hard hat?" is not "was there a worker?").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Literal, TypeVar

from common.classes import CLASS_WORDS, EVERY_CLASS, KIND_WORDS, MOVE_OF_EDGE, MOVE_OF_EVENT, SOMEONE_WORDS, VEHICLES
from common.text import COUNT_WORD, COUNT_WORDS, LENGTH_UNIT, in_metres
from query.timewords import TimeSpec, in_numbers, parse_time, strip_time

Intent = Literal["count", "times", "which", "first", "last", "when", "duration", "exists", "near", "together",
                 "extreme", "empty", "compare", "story", "events", "open"]
# what objects joined by "and" are each needed by: class ("a car and a person"), colour ("a red car and a green
# car"); and in a yes or no, the zones or directions joined ("a car in lane_up and a car in lane_down")
Each = Literal["class", "colour", "zone", "direction"]

# "up" and "down" after a verb of travel are in the picture ("drove up": toward its top)
_TRAVEL = r"(?:go(?:es|ing)?|went|mov(?:e|es|ed|ing)|dr(?:ove|ives?|iving)|walk(?:s|ed|ing)?|r(?:ode|ides?|iding)|" \
          r"head(?:s|ed|ing)?|travell?(?:ed|ing)|travels?)"
DIRECTIONS = {
    r"bottom[- ]to[- ]top|upwards?|" + _TRAVEL + r" up\b(?! to)": "bottom_to_top",
    r"top[- ]to[- ]bottom|downwards?|" + _TRAVEL + r" down\b": "top_to_bottom",
    r"left[- ]to[- ]right": "left_to_right",
    r"right[- ]to[- ]left": "right_to_left",
}
# compass headings: which way they are in the picture only the site knows (its camera table's ``up``); without
# it their words stay, said unchecked. "northbound", "heading north", "drove west", "eastwards"
COMPASS = re.compile(r"\b(north|east|south|west)(?:bound|wards?)\b|\b(?:heading|head(?:s|ed)?|" + _TRAVEL[3:-1]
                     + r")\s+(north|east|south|west)\b", re.IGNORECASE)
_PICTURE = ("bottom to top", "left to right", "top to bottom", "right to left")  # clockwise from up


def in_picture(text: str, up: str) -> str:
    """The text with each compass heading as the way it runs in a picture whose top faces ``up`` ("north":
    northbound is bottom to top, eastbound left to right), a verb of travel kept."""
    from common.site import HEADINGS

    def turned(heading: str) -> str:
        return _PICTURE[(HEADINGS.index(heading.lower()) - HEADINGS.index(up)) % 4]

    def way(m: re.Match[str]) -> str:
        picture = turned(m.group(1) or m.group(2))
        return picture if m.group(1) else m.group(0)[:m.start(2) - m.start(0)] + picture

    said, n = COMPASS.subn(way, text)
    if not n:
        return text
    # "drove east or west": the second heading under the same verb
    return re.sub(r"\b(or|and) (north|east|south|west)\b(?!\s+(?:lane|side|gate|entrance|exit|end|door|dock)s?\b)",
                  lambda m: f"{m.group(1)} {turned(m.group(2))}", said, flags=re.IGNORECASE)

# "went out", "drove out of lane_up": leaving (the picture, or the zone named)
_OUT = (r"(?:c[oa]me|comes|coming|went|go(?:es|ing)?|walk(?:s|ed|ing)?|dr(?:ove|ives?|iving)|r(?:ode|ides?|iding)|"
        r"mov(?:e|es|ed|ing)) out\b")
# the side a line is crossed to ("in": from the right of the line, seen from its first point to its second, to
# its left), as ``line_cross`` events record it: "going in", "outbound", "in the out direction", "(in)"
_LINE_SIDE = (r"\b(in|out)(?:bound|wards?)\b|\b(?:going|heading|moving|crossing|travell?ing|walking|driving|went|"
              r"goes) (in|out)\b(?! of\b)|\bin the (in|out) direction\b|\((in|out)\)|"
              # "crossings in", "how many crossed out?": a side that ends a phrase ("crossed in lane_1" is none)
              r"\bcross(?:es|ed|ings?)? (in|out)(?= *(?:$|[?,.;]|(?:and|or|than|vs|versus|compared)\b))")
# verbs -> event types they count in "how often" questions (zone-qualified verbs first)
EVENT_VERBS = (
    (r"\bcross(es|ed|ing|ings)?\b", ("line_cross",)),
    (r"\b(enter(s|ed)?|entry|entries|came into|went into)\b", ("zone_enter",)),
    # stopping is a standstill ("stopped" events); staying is a long time in view ("dwell": ``cv.dwell_s``)
    (r"\b(stop(s|ped)?|park(s|ed)?|halt(s|ed)?)\b", ("stopped",)),
    (r"\b(stay(s|ed)?|dwell(s|ed)?|linger(s|ed)?)\b", ("dwell",)),
    # going past: leaving the picture (only exits that were moves out of view count, see parse_question)
    (r"\b(past|pass(es|ed)?|(went|go|goes|drove|drive|drives|walked|walk|walks|rode|ride|rides) by)\b", ("exit",)),
    (r"\b(le(ft|aves?)|exit(s|ed)?|depart(s|ed|ures?)?|" + _OUT + r")\b", ("exit", "zone_exit")),
    (r"\b(appear(s|ed)?|arriv(e|es|ed|als?)|show(s|ed)? up)\b", ("enter",)),
)

# The colours perception names (vlm.cv.colour); "gray" is grey, and grey includes silver.
COLOURS = {"white": ("white",), "black": ("black",), "grey": ("grey", "silver"), "gray": ("grey", "silver"),
           "silver": ("silver",), "red": ("red",), "orange": ("orange",), "yellow": ("yellow",),
           "green": ("green",), "blue": ("blue",), "purple": ("purple",), "pink": ("pink",)}

# coming into or going out of view while the footage ran (not "on the left", "left lane", "left to right")
_ENTER = r"\b(enter(s|ed|ing)?|(came|comes?|coming|went|go(es)?|walked|drove) in(to)?)\b"
_LEAVE = (r"\b(leaves?|leaving|exit(s|ed|ing)?|depart(s|ed|ing|ures?)?|moved on|" + _OUT + "|"  # "drove off": left
          r"(?:drive[sn]?|drove|driving|pull(?:s|ed|ing)?|move[sd]?|moving|walk(?:s|ed|ing)?|rode|rides?|riding|"
          r"took|takes?) (?:off|away)(?! from)|"
          r"(?<!\bthe )(?<!\bto )(?<!\bon )(?<!\bat )(?<!\bturned )(?<!\bturn )(?<!\bturns )left"
          r"(?![ -](to|lane|side|edge|hand|of|turn|corner)\b))\b")
MOVES = {"entered": _ENTER, "left": _LEAVE}
# the picture's edge an object came in through or went out by: "from the top", "left at the bottom"
_FROM_EDGE = r"\bfrom the (top|bottom|left|right)(?: edge| side)?\b"
_BY_EDGE = r"\b(?:at|through|by|via|out of|over) the (top|bottom|left|right)(?: edge| side)?\b"
# in view when the footage began or when it ended: "in the last frame", "at the start"
# "now" is the last look: the end of a file, the latest analysed moment of a live stream ("until now", "so far":
# the whole footage, said as nothing)
_PRESENT = {"start": r"\b(in|at|on) the (very )?(first frame|start|beginning|opening frame)\b",
            "end": r"\b(in|at|on) the (very )?(last frame|final frame|end)\b|"
                   r"\b(when|as) the (video|footage|clip|recording|stream) end(s|ed)\b|"
                   r"\b(right now|currently|at the moment|at present)\b|\bnow\b",
            # in view from the first look to the last: "the whole time", "for the entire video", "throughout"
            "whole": r"\b((for|during|in|through(out)?) )?the (whole|entire|full) (video|footage|clip|recording|stream|"
                     r"time)\b|\ball the time\b|\bthroughout( the (video|footage|clip|recording|stream))?$|"
                     r"\bfrom (the )?(start|beginning) to (the )?(end|finish)\b"}

# (a parking lot is a place, not standing still; a car park is made one word first, see _PLACES)
_STILL_WORDS = r"parked|parks?|parking(?! (?:lots?|spaces?|bays?|areas?|garages?|spots?|zones?|places?|" \
               r"structures?|decks?|meters?))|stopped|stops?|stopping|stationary|standing still|stood still|" \
               r"stand still|sitting still|sat still|motionless|idle|halted|stay(s|ed)?|dwell(s|ed)?|dwelt|" \
               r"linger(s|ed|ing)?|wait(s|ed|ing)?|(?:kept|keeps?|stayed|remained|held) still|" \
               r"(?:(?<=were )|(?<=was )|(?<=is )|(?<=are ))(?:(?:the|all the|all|any|both) )?(?:[a-z]+ )?still$"
# "in the car park", "the car park was empty": a place, neither cars nor parking
_PLACES = ((r"\b((?:in|at|into|from|of|to|through|across|near|around|outside|inside|leaving|entering|left|entered|"
             r"exited|exiting)(?: the| a| this| that| our)?) car parks?\b", r"\1 carpark"),
           (r"\bcar parks?\b(?= (?:was|is|were|are) (?:empty|full|clear|vacant)| empty\b| full\b)", "carpark"))
# "pass each other", "follow one another": a relation between the objects, which nothing here evaluates; one
# word so that 'each' is not "every car" and 'one' not a number
_CROSSING = (r"(?:cross|pass|go|get|drive|walk|travel|move)\b(?: (?:through|across|over|past))?(?: (?:the )?(?:frame|"
             r"picture|scene|view|screen|image|road|street|camera(?:'s view)?)\b)?")
_AMOUNT = r"\b((?:number|count|amount|total|volume|level)\b(?: of [a-z]+)? )"  # "the number of cars (went up)"
_TIME_UNIT = r"(?:seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|weeks?|months?)"
# "which camera saw the most cars?": the cameras (streams) compared; "in every camera", "per camera": each apart
_CAMERA = r"(?:cameras?|streams?|feeds?|videos?|clips?|cams?)"
# ("across all cameras", "over every camera": all of them together, left as said)
_EACH_CAMERA = (rf"\b(?:(?:in|on|by|from|for|at) )?(?<!across )(?<!over )(?<!throughout )(?:every|each|all(?: of)?"
                rf"(?: the)?) {_CAMERA}\b|\b(?:per|by) {_CAMERA}\b")
_ASKING = (r"^(?:i(?: want| would like|'d like| need) to know|i(?:'m| am) wondering|i wonder|do you know|(?:could|can) "
           r"you (?:please )?tell me)\s+")
# how an object went, said after it ("how fast did the truck go?"), and the end of what is said of it (a window)
_GOING = (r"(?:go|going|went|driv(?:e|es|en|ing)|drove|travel(?:s|l?ed|l?ing)?|mov(?:e|es|ed|ing)|"
          r"walk(?:s|ed|ing)?|run(?:s|ning)?|ran|rid(?:e|es|ing)|rode|cycl(?:e|es|ed|ing)|pass(?:ed|ing)?|"
          r"cross(?:ed|ing)?)(?: by| past)?")
# what a speed is asked of: a few words ending in an object ("the red car", "the white vans")
_SPEEDY = (r"(?:the |a |an |any |all (?:the )?)?(?:[a-z-]+ ){0,3}?(?:" + "|".join(sorted(
    CLASS_WORDS.keys() | KIND_WORDS.keys(), key=len, reverse=True)) + r")")
_SPEED_END = r"(?= (?:at|between|after|before|in|on|during|from|until|till|since|today|yesterday)\b|$)"
_RELATIONS = ((r"\beach other\b", "each-other"), (r"\bone another\b", "one-another"),
              # "i want to know how many cars went up", "i wonder whether a truck came", "do you know if there was
              # a red car": the question after it ("did a truck come", "was there a red car")
              (_ASKING + r"(?:if|whether) there (was|were|is|are)\b", r"\1 there"),
              (_ASKING + r"(?:if|whether)\s+", "did "), (_ASKING, ""),
              # traffic is vehicles ("how much traffic?"), but not a traffic light or a traffic jam (their words stay)
              (r"\bhow much (?=(?:foot |pedestrian )?traffic\b)", "how many "),
              # "what was the traffic volume?", "the flow of trucks per hour", "the flow rate in cars per minute"
              (r"^what(?: was| is|'s)? the (?:total |overall )?traffic (?:volume|flow(?: rate)?|throughput)\b",
               "how many vehicles"),
              (r"^what(?: was| is|'s)? the (?:total |overall )?(?:traffic )?(?:volume|flow(?: rate)?|throughput) "
               r"(?:of|in)\b", "how many"),
              (r"\b(?:foot|pedestrian) traffic\b", "pedestrians"),  # (not in a name: "highway-traffic")
              # "stuck in traffic", "stopped in traffic": standing still (not "in vehicles")
              (r"\b(?:stuck|stopped|standing|waiting|queued|queuing|queueing|sitting|held up) in (?:the )?traffic\b",
               "stopped"),
              (r"\b(?:go|went|going|drove|driving|travel(?:l?ed|l?ing)?|moved?|moving)\s+each way\b",
               r"went in each direction"),  # "how many went each way?": per direction
              (r"(?<![-\w])(?<!against the )(?<!against )traffic(?![-\w])(?! (?:lights?|signals?|signs?|cones?|jams?|"
               r"lanes?|islands?|officers?|"
               r"police|wardens?|"
               r"cameras?|reports?|rules?|laws?|flow)\b)", "vehicles"),
              (r"\b(?:until|till|up to|up till|up until) now\b|\bso far\b|\bto date\b", " "),  # the whole footage
              (_EACH_CAMERA, " "),  # read from the question as said (``Question.each_stream``)
              # "the peak hour" is the busiest ("the peak number" is the most at once, "the peak time" a moment)
              (r"\bpeak (minute|hour|day|week|month)\b", r"busiest \1"),
              # "the maximum occupancy of restricted", "how crowded was the walkway?": the most inside at once
              (r"\b(?:the )?(?:peak|maximum|max|highest|greatest) occupancy (?:of|in)(?= (?:the )?(?:[a-z]+ )?(?:"
               + "|".join(sorted(CLASS_WORDS | KIND_WORDS, key=len, reverse=True)) + r")\b)", "the peak number of"),
              (r"\b(?:the )?(?:peak|maximum|max|highest|greatest) occupancy (?:of|in)\b",
               "the peak number of objects in"),
              (r"\b(?:the )?(?:peak|maximum|max|highest|greatest) occupancy\b", "the peak number of objects"),
              (r"^how (?:crowded|full|packed) (?:was|were|is|are|did|does) (?:the )?([\w-]+)(?: get)?\b",
               r"what was the peak number of objects in \1"),
              # "the busiest time of day": the busiest hour (of the clock), not the most at one moment
              (r"\bpeak times? of (?:the )?day\b", "busiest hour"),
              (r"\b(busiest|quietest) times? of (?:the )?day\b", r"\1 hour"),
              # "when was the busiest hour?": which hour that was
              (r"^when (?:was|is) (?=the (?:busiest|quietest) (?:\d+[- ]?)?(?:second|minute|hour|day|week|month)s?\b)",
               "what was "),
              # "heading towards the camera", "headed away from the camera": coming closer, going farther
              (r"\b(?:heading|headed|heads|head) (?=(?:towards?|away from) (?:the )?camera\b)", ""),
              # "the headway between cars", "the time headway": the time between one's coming and the next one's
              (r"^what (?:was|is|were|are) the ((?:average|mean|median|typical|shortest|longest) )(?:time )?"
               r"headways? between\b", r"what was the \1time between"),
              (r"^what (?:was|is|were|are) the (?:time )?headways? between\b", "how long between"),
              # "which minute was busiest?", "what hour was the quietest": the busiest minute (not the open "which")
              (r"^(?:which|what) ((?:\d+[- ]?)?(?:second|minute|hour|day|week|month)s?) (?:was|were|is|are) (?:the )?"
               r"(busiest|quietest)\b", r"what was the \2 \1"),
              (r"\b(?:vs\.?|versus)(?= )", "and"),  # "how many went up vs down?": each
              # "did more cars go up or down?": which direction had more (of those named, each counted)
              (r"^(?:did|were there|was there) more ([a-z ]+?) (?:go|going|drive|driving|head|heading|travel|"
               r"travelling|move|moving)\b(?= .*\bor\b)(?!.*\bthan\b)", r"which direction did more \1 go"),
              # a person on a bicycle is a cyclist, which perception records (a bicycle with its rider)
              (r"\b(?:a |any |the )?(?:person|someone|somebody|anyone|anybody)\s+(?:on|rid(?:e|es|ing)|rode)\s+"
               r"(?:a |the )?(?:bike|bicycle)\b", "cyclist"),
              (r"\b(?:people|persons)\s+(?:on|rid(?:e|es|ing)|rode)\s+(?:bikes|bicycles)\b", "cyclists"),
              # the time to cross the picture is the time in view of one that came in and went out of it
              (r"\b(?:did )?it take (?:for )?(the [a-z-]+(?: [a-z-]+){0,2}?) to " + _CROSSING,
               r"did \1 enter and leave"),
              (r"\btake to " + _CROSSING, "enter and leave"),
              # a number going up or down is a trend, which nothing here reads: not a direction in the picture
              (_AMOUNT + _TRAVEL + r" up or down\b", r"\1increase or decrease"),
              (_AMOUNT + _TRAVEL + r" up\b", r"\1increase"), (_AMOUNT + _TRAVEL + r" down\b", r"\1decrease"),
              # "is the red car still in view?", "how many cars are still in lane_up?": there now (the footage's end)
              (r"^((?!.*(?:\d:\d|\b(?:at|after|before|between|since|until|by|from|in the) \d|\b(?:today|yesterday)\b))"
               r".*?\b(?:is|are)\b.*?)\bstill ((?:in|inside|at|on|there|here|around|present|visible)\b.*)$",
               r"\1\2 now"),
              # "still in lane_up", "still there at 0:10": yet there, not standing still ("standing still in it" is)
              (r"(?<!standing )(?<!stood )(?<!stand )(?<!sitting )(?<!sat )(?<!kept )(?<!keeps )(?<!keep )"
               r"(?<!stayed )(?<!remained )(?<!held )\bstill (?=(?:in|inside|at|on|there|here|around|present|"
               r"visible|on screen|in view)\b)", ""),
              # "used by 2 trucks", "after 3 people": a number of objects, not a moment ("by 2" is before 0:02)
              (r"\b(by|after|before|at|from|until|till|since)(?= \d+ (?:(?!(?:in|at|on|of|to|and|or|" + _TIME_UNIT +
               r"|[ap]m)\b)[a-z]+ ){0,2}?(?:" + "|".join(sorted(CLASS_WORDS | KIND_WORDS, key=len, reverse=True)) +
               r")(?![-\w]))", r"\1-"),
              # "the first car's colour": the car's (other possessives stay as said)
              (r"\b(" + "|".join(sorted(CLASS_WORDS | KIND_WORDS, key=len, reverse=True)) + r")'s\b", r"\1"),
              # "how fast was the red car?", "what speed was the truck going?", "what was the red car's speed?":
              # speed is not measured (said not checked); what is, is how long each was in view
              (r"^(?:how (fast|quick(?:ly)?|slow(?:ly)?)|(?:at )?what (speed)) (?:was|were|is|are|did|does|do) "
               rf"({_SPEEDY})(?: {_GOING})?{_SPEED_END}", r"how long was \3 in view \1\2"),
              (rf"^what (?:was|is|were|are) (?:the )?(speeds?) of ({_SPEEDY}){_SPEED_END}",
               r"how long was \2 in view \1"),
              (rf"^what (?:was|is|were|are) (?:the )?({_SPEEDY}) (speeds?){_SPEED_END}",
               r"how long was the \1 in view \2"))
# "what percentage of the vehicles were white?": a share of the objects named after "of" (with a place said of
# them), read as "how many of the vehicles were white?" over "how many vehicles?" in the same window
# what a share is of: up to three words and an object word, and a place said of it ("the cars in lane_up")
_SHARE_OF = re.compile(r"(?:(?:all )?(?:of )?the )?(?:[a-z-]+ ){0,3}?(?:" + "|".join(sorted(
    CLASS_WORDS.keys() | KIND_WORDS.keys(), key=len, reverse=True)) + r")\b(?: (?:in|at|on|inside|using) [\w-]+)?")
_SHARE = re.compile(r"^(?:what|which|how (?:big|large) (?:a )?)\s*(?:percentage|percent|proportion|fraction|share|"
                    r"portion|%)\s+of\s+|^how many percent of\s+|^how much of\s+(?=(?:the )?time\b)")
# "of the time was a car in view", "of the time there were people in lane_up": when something was there, read
# as "when was the picture occupied by a car" (which says its share of the time)
_TIME_PRESENT = re.compile(r"(?:the )?time (?:that |when )?(?:(?:was|were|is|are) )?(?:there )?"
                           r"(?!(?:did|does|do|had|has|have)\b)(.+?)(?: (?:was|were|is|are))?"
                           r"(?: (?:in view|visible|present|there|on screen|in (?:the )?(?:picture|frame|scene)|"
                           r"around|seen))?$")
# "the peak number of cars", "the maximum count of people", "when were the most cars in view", "the busiest moment",
# "when was it busiest": the most in view at one moment, which "at once" asks (a busiest hour or lane is not this)
_PEAK_COUNT = r"\b(?:peak|maximum|max|highest|largest|greatest|biggest) (?:number|count) of\b"
_MOST_IN_VIEW = r"\bthe most(?=(?: [a-z]+){1,3} (?:in view|visible|on screen|in the picture|present)\b)"
_BUSIEST_MOMENT = (r"\b(?:the )?(?:busiest|peak) (?:moment|instant|point in time|point|time)\b|"
                   r"^(?:when|what) was (?:it at its |it |the )?(?:busiest|peak)$")


K = TypeVar("K", bound=str)  # the keys of a table of patterns
# coming closer to the camera or going farther from it: the object's size from its first whole look to its last
_APPROACH: dict[Literal["closer", "farther"], str] = {
    "closer": r"\b(?:toward|towards|approach(?:ing|ed|es)?) (?:the )?camera\b|\boncoming\b|"
              r"\b(?:c[oa]m(?:e|es|ing)|g[eo]t(?:ting)?|mov(?:e|ed|ing)|dr[io]v(?:e|en|ing)|walk(?:ed|ing)?) "
              r"(?:closer|nearer)(?: to the camera)?\b(?! to)",
    "farther": r"\baway from (?:the )?camera\b|\breced(?:e|ed|es|ing)\b|"
               r"\b(?:farther|further) (?:away|off)(?: from the camera)?\b(?! from)"}


def _present(text: str, time: TimeSpec) -> str | None:
    """In view at the first look, the last, or both ("the whole time"): of the footage, so "the whole time" beside
    a window ("between 0:10 and 0:20") is not read (its words stay unchecked): it would be the window's."""
    present = _which(_PRESENT, text)
    return None if present == "whole" and not time.empty else present


def _which(patterns: dict[K, str], text: str) -> K | None:
    """The key of the first pattern found in ``text``."""
    return next((key for key, pattern in patterns.items() if re.search(pattern, text)), None)


# "was there ever more than one car in view?", "were 2 people visible at any point?": a number of objects in view
# at some moment is a number at once (not "Yes: 4 cars" over the whole footage, one at a time)
_EVER = r"\bat (?:any|some|one) (?:point|time|moment)(?: in time)?\b"  # said as "ever"
_IN_VIEW = r"\b(?:in view|visible|on screen|in (?:the )?(?:picture|frame|shot))\b"
_SEVERAL = r"\b(?:more than (?:\d+|one)|at least \d+|over \d+|\d+ or more|several|multiple|\d+)\b"
# "were there ever 3 cars?", "were 2 cars ever in lane_up?", "was lane_up ever occupied by 2 cars?": a number
# there at some moment is also a number at once (what "ever" asks of a number: not the footage's total)
_THERE = r"^(?:was|were|is|are) there\b|\bever (?:in|inside|at)\b|\boccupied by-? "
# "when were more than 5 cars in view?", "when were 2 people in restricted?": when that many were there at once
_WHEN_THERE = r"^(?:when|at what times?|what times?) (?:was|were|is|are)\b(?=.*\b(?:in|inside|at|on|within|there)\b)"
_MANY_OF = (rf"\b(?:more than|at least|over) {COUNT_WORD}\b|\b{COUNT_WORD} or more\b|\b{COUNT_WORD} (?:[a-z]+ )?(?:"
            + "|".join(sorted({*CLASS_WORDS, *KIND_WORDS}, key=len, reverse=True)) + r")\b")


def _at_once(text: str, zones: tuple[str, ...] = ()) -> str:
    """The question with a peak of objects in view asked as "the most ... at once" (with "objects" when no
    object is named: any object), and a number of objects in view at some moment as that number at once; of a
    zone too ("when were the most cars in lane_up?", "when was lane_up busiest?"); "how many cars were in view at
    most?" is the most at once."""
    text = re.sub(_EVER, "ever", text)
    text = re.sub(r"^(how many\b.*\b(?:were|was|are|is)\b.*) at (?:the )?(?:most|peak)\b(?! \d)",
                  r"\1 at the same time", text)
    if zones:
        said = "|".join(_name_re(z) for z in sorted(zones, key=len, reverse=True))
        text = re.sub(rf"^(?:when|what time) (?:was|were|is) (?:the )?({said}) (?:at its )?(?:busiest|most crowded|"
                      r"fullest|peak)\b(?! (?:minute|hour|day|week|month|period|second)s?\b)",
                      r"when were the most objects in view in \1", text)
        text = re.sub(rf"\bthe most((?: [a-z]+){{1,3}}) ((?:in|inside|at) (?:the )?(?:{said}))",
                      r"the most\1 in view \2", text)
    if not re.search(_TOGETHER, text) and all(re.search(p, text) for p in (r"\bever\b", f"{_IN_VIEW}|{_THERE}",
                                                                              _SEVERAL)):
        text = re.sub(r"\boccupied by-? ", "", text)  # "was lane_up ever occupied by 2 cars": 2 cars in it at once
        return re.sub(r"\b(?:several|multiple)\b", "2 or more", text) + " at once"
    if not re.search(_TOGETHER, text) and re.search(_WHEN_THERE, text) and re.search(_MANY_OF, text):
        return text + " at once"
    if re.search(_TOGETHER, text) or not re.search(f"{_PEAK_COUNT}|{_MOST_IN_VIEW}|{_BUSIEST_MOMENT}", text):
        return text
    named = any(w in CLASS_WORDS or w in KIND_WORDS or w in SOMEONE_WORDS for w in re.findall(r"[a-z]+", text))
    text = re.sub(_BUSIEST_MOMENT, "the most in view" if named else "the most objects in view", text)
    return re.sub(_PEAK_COUNT, "most", text) + " at once"


_NEGATION = r"(?:not|never|didn't|did not|don't|doesn't|wasn't|weren't|isn't|aren't)"
_STILL = r"\b(" + _STILL_WORDS + r")\b"
# "did not stop", "never parked", "wasn't standing still": never stood still. Other negations are not checked
_NOT_STILL = r"\b" + _NEGATION + r"\s+(?:\w+\s+)?(?:" + _STILL_WORDS + r")\b"
# moving at all (a parked car did not drive, a seated person did not walk), never moving, and going past: moved,
# then went out of the picture (a car still approaching at the end has not passed yet); in "how often" questions
# the verb names the events instead
_MOVING = {
    "never": r"\b" + _NEGATION + r"\s+(?:be(?:en)?\s+)?(?:mov(?:e|es|ed|ing)|driv(?:e|es|en|ing)|drove|"
                                  r"walk(?:s|ed|ing)?)\b",
    "passed": r"\b(?:past|pass(?:es|ed|ing)?|(?:went|go|goes|gone|going|drove|drives?|driving|walked|walks?|"
              r"walking|rode|rides?|riding|came|comes?|coming) by)\b",
    "moved": r"\b(?:moving|moved|moves?|in motion|driving|drove|driven|drives?|walking|walked|walks?|riding|rode|"
             r"rides?|cycling|cycled|travell?(?:ing|ed)|traveled|travels?)\b",
}
# arriving: the verbs of appearing and of entering, or coming ("when did the last car come?")
_ARRIVING = ("last", "when", "count", "exists", "which")  # the questions an arrival changes (above)
_ARRIVE = "|".join([*(verb for verb, types in EVENT_VERBS if types in (("enter",), ("zone_enter",))), r"\bc[oa]mes?\b"])
# "when was the lane empty?", "when were there no cars?": the stretches with nothing of the class in view
_EMPTY = r"\b(empty|vacant|unoccupied|deserted|clear|(?:were|was|are|is) there no|there (?:were|was|are|is) no|" \
         r"nobody|no one|(?:no|without)(?= (?:an? |any )?(?:[a-z]+ )?(?:" + "|".join(CLASS_WORDS) + r")\b))\b"
# "when was lane_up occupied?": the stretches when something was there, the other side of empty
_OCCUPIED = r"\b(?<!un)occupied\b|\bin use\b"
# "the longest gap between cars", "the longest time without a car", "was there ever a time with no trucks?": the
# stretches when none was in view (between two of them, for a gap)
_GAP = (r"\b(?:gaps?|lulls?|breaks?)\b.*\bbetween\b|"
        r"\b(?:longest|shortest)\s+(?:time|stretch|period|while|spell|gap|lull|break)\s+(?:without|with no)\b|"
        r"^(?:was|were|is) there (?:ever )?(?:a |any )?(?:time|moment|period|stretch|point)s? "
        r"(?:with no|without|when there (?:was|were) no|when (?:nobody|no one|nothing|no)\b)\b")
# "was the lane ever empty?", "were there no cars at some point?", "is the dock ever deserted?": whether there was
# such a stretch (the stretches answer it)
_EVER_EMPTY = (r"^(?=(?:was|were|is|are|has|had|did)\b)(?=.*\b(?:n?ever|at (?:some|any) (?:point|time|moment)|at times|"
               r"sometimes)\b).*\b(?:empty|vacant|unoccupied|deserted|nobody|no one|nothing|"
               r"(?:were|was|are|is) there (?:n?ever )?no)\b")
_GAP_WORDS = r"\b(gaps?|lulls?|breaks?|between|stretch(?:es)?|periods?|spells?|while|ever|moments?|point|with|" \
             r"sometimes)\b"
# against the way the site file says a zone's traffic goes (read by ``ask``, or said not checked there)
_WRONG_WAY = r"\b(?:the )?(?:wrong|opposite)[ -](?:way|direction)\b|\bagainst (?:the )?(?:traffic|flow)\b"
# from one zone into another ("did any car change lanes?"): entered more than one of them
_LANE_CHANGE = (r"\b(?:chang(?:e|es|ed|ing)|switch(?:es|ed|ing)?) (?:lanes?|zones?)\b|"
                r"\b(?:lane|zone)[- ]chang(?:e|es|ed|ing)\b")
_BETWEEN_OBJECTS = r"\b(?:gaps?|lulls?|breaks?)\b.*\bbetween\b"
# "were there more cars than people?", "were trucks less common than cars?" (not "more than 3 cars": a number)
_COMPARE = r"\b(more|fewer|less)\s+(?:[a-z_]+\s+){1,8}?than\b"
_COMPARE_WORDS = r"\b(more|fewer|less|than|common|frequent|numerous|often)\b"
_TOGETHER = r"\b(at the same time|simultaneously|together|at once|at a time|side by side|in view together)\b"
# "how many unique cars?", "different people": within a camera every object is counted once already (its broken
# tracks rejoined); across cameras nothing re-identifies one (said by the answer)
_DISTINCT = (r"\b(?:unique|different|distinct|separate|individual)\b(?=\s+(?:(?:" + "|".join(COLOURS) + r")\s+)*(?:"
             + "|".join(sorted({*CLASS_WORDS, *KIND_WORDS}, key=len, reverse=True)) + r")\b)")
# "trucks?", "any red cars?": only objects named, a question whether there were any
_BARE = (r"(?:(?:any|a|an|the|some|all)\s+)?(?:(?:" + "|".join(COLOURS) + r")\s+(?:(?:or|and)\s+)?)*(?:"
         + "|".join(sorted(CLASS_WORDS, key=len, reverse=True)) + r")(?:\s+(?:or|and)\s+(?:"
         + "|".join(sorted(CLASS_WORDS, key=len, reverse=True)) + r"))*")
# "show me the cars that went up", "list the white cars": which
_COMMAND = r"^(?:please\s+)?(?:show|list|find|give|display|get)(?:\s+me)?(?:\s+all)?\b"
_EXTREME = r"\b(longest|shortest|most|least|fewest|busiest|quietest)\b"  # "the busiest lane": most used
# of the lanes or ways, without "than": "which lane had more cars?", "which lane was busier?" is the most
_MORE = r"\b(more|fewer|less|busier|quieter)\b"
_NUMBER_WORDS = {**COUNT_WORDS, "a couple of": 2, "a pair of": 2}
# a number with a unit of distance, speed or share is no count of objects ("faster than 30 km/h", "within 5 ft")
_MEASURE = r"(?:km|kms|kph|kmh|mph|miles?|metres?|meters?|feet|foot|ft|yards?|yds?|percent|per cent|%)"
_AT_LEAST = r"(?:\b(more than|over|at least|fewer than|less than|at most|no more than|up to|exactly|precisely)" \
            r"\s+)?\b(\d+|" + "|".join(_NUMBER_WORDS) + r")" \
            r"(\s+or more)?\s+(?=[a-z]+\b)(?!" + _TIME_UNIT + r"\b|" + _MEASURE + r"\b)"  # "2 minutes", "30 km/h"

# words that carry no condition: asking "how many cars passed" is asking "how many cars"
FILLERS = frozenset("""
a an the of in on at to by for from with into onto off out up down over under about around through across
is are was were be been being am did do does done has have had having will would could should can may might
there here any some all each every that this these those it its they them their he she his her him i we you me my
what which who whom whose when where how many much often times time long number count total please tell show
see seen saw visible view appear appeared appears showing shown pass passed passing passes go went gone going
goes come came coming comes drive drove driven driving drives walk walked walking walks ride rode riding rides
move moved moving moves use used using uses get got make made happen happened happening happens present and or but
than then so just also still yet ever camera cameras footage video clip stream scene frame picture image
road street way area place spot anyone anybody someone somebody anything something thing things kind sort
during while within via as if yes ok ones among amongst
s sec secs second seconds m min mins minute minutes h hr hrs hour hours am pm a.m. p.m.
""".split())  # the unit words are left over only after their time was read (query.timewords)


@dataclass(slots=True, frozen=True)
class Anchor:
    """'after the first car left': the moment the rest of the question starts from."""

    cls: tuple[str, ...]
    # last seen, first seen, or (said without a verb of its own: "did the silver car cross midline before the red
    # car?") its own event of the kind the question asks about, at the places it names (``_anchor_alike``)
    moment: Literal["left", "appeared", "event"]
    which: Literal["first", "last"] = "first"  # the first or the last such entity
    colours: tuple[str, ...] = ()  # "after the red car left": only an entity of these colours
    # the rest of the question is asked after or before the moment, or while the entity was in view ("during":
    # "was the red car in view at the same time as the silver car?")
    side: Literal["after", "before", "during", "between", "at"] = "after"  # at: that moment ("when the car left")
    n: int = 1  # "after the second car left": the n-th such entity (from the end when ``which`` is "last")
    until: Anchor | None = None  # "between the red car and the last white car": the other moment (side "between")
    elided: bool = False  # "before the red car": said without a verb of its own
    # "after the silver car entered lane_down": the zone or line its verb names, and that event (moment "event")
    place: str | None = None
    event: str | None = None

    @property
    def noun(self) -> str:
        """What the answer calls the anchor's class: "vehicle" for every vehicle class."""
        return self.cls[0] if len(self.cls) == 1 else "vehicle"


@dataclass(slots=True, frozen=True)
class AtLeast:
    """A number in the question: "two people" (>= 2), "more than 10" (>= 11), "fewer than 3" (<= 2), "at most 3"
    (<= 3), "exactly 4" (== 4)."""

    n: int
    at_most: bool = False
    exact: bool = False

    def holds(self, value: int) -> bool:
        return value == self.n if self.exact else value <= self.n if self.at_most else value >= self.n

    @property
    def bounded(self) -> bool:
        """Whether more objects than were seen could make it false (an unseen one can break "at most 3")."""
        return self.at_most or self.exact

    def said(self) -> str:
        return f"exactly {self.n}" if self.exact else f"{self.n} or {'fewer' if self.at_most else 'more'}"


@dataclass(slots=True, frozen=True)
class Lasting:
    """How long each object must have been in view ("view") or standing still ("still"): more or less than."""

    seconds: float
    at_most: bool = False  # less than / under; else more than / over (strictly), or at least (``inclusive``)
    of: Literal["view", "still"] = "view"
    inclusive: bool = False

    def holds(self, value: float) -> bool:
        if self.at_most:
            return value < self.seconds
        return value >= self.seconds if self.inclusive else value > self.seconds


# "in view for over 4 s", "stayed longer than 5 seconds", "parked for more than 10 minutes"
_LASTING = re.compile(
    r"\b(?:(stay(?:s|ed)?|remain(?:s|ed)?|linger(?:s|ed)?|dwell(?:s|ed)?|dwelt|in view|visible|there|present|seen)"
    r"\s+)?(?:for\s+)?(more than|over|longer than|at least|less than|under|shorter than|fewer than|at most|up to|"
    r"no more than|no longer than)\s+"
    r"(\d+(?:\.\d+)?)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h)\b")
_UNIT_S = {"s": 1.0, "m": 60.0, "h": 3600.0}
# "per hour", "each minute", "in every day", "an hour" (not "in an hour", "of each hour"; "in per minute" is one),
# "hourly", "per lane", "in each direction" (its "in" goes with it: all fillers, "in each minute" was dropped
# unsaid, and "crossed midline in each direction" read as crossed to the line's side "in")
_PER = re.compile(r"\b(?:(?:(?:per|by|(?:in|for) (?:each|every))\s+|(?<!\bin )(?<!\bwithin )(?<!\bfor )(?<!\bafter )"
                  r"(?<!\bthan )(?<!\bover )(?<!\babout )(?<!\bof )(?:each|every|an?)\s+)(minute|hour|day|week|month)|"
                  r"(?:(?:in|for) )?(?:per|each|every|by)\s+(second)|(hour|dai|week|month)ly|"
                  r"(?:(?:in|for) )?(?:per|each|every|by)\s+(lane|zone|direction|colou?r))\b")  # "a second": no period
# "the most common colour", "which colour was least common?": a count per colour, and its most (or least) common
_COMMON_COLOUR = re.compile(r"\b(?:the )?(most|least) (?:common|frequent|popular|usual) (?:([a-z]+) )?colou?r\b|"
                            r"\b(?:which|what) colou?r(?=.*\b(most|least) (?:common|frequent|popular|usual)\b)")
# "per 15 minutes", "every 30 seconds", "each quarter hour", "in 10-minute intervals": periods of several units
_BINS = r"(?:intervals?|bins?|blocks?|periods?|slots?|buckets?)"
_PER_N = re.compile(r"\b(?:(?:per|each|every|by)\s+(\d+)\s*-?\s*(second|sec|minute|min|hour|hr)s?(?:\s+" + _BINS
                    + r")?|(?:in\s+)?(\d+)[- ]?(second|minute|hour)s?\s+" + _BINS + r")\b")
_PER_UNIT = {"sec": "second", "min": "minute", "hr": "hour"}
# "the average time in view", "how long on average", "the median dwell", "how many cars per hour on average"
_AVERAGE = re.compile(r"\b(?:on\s+)?(average|mean|median|typical)(?:ly)?\b")
# "the busiest hour", "which minute had the most trucks?": a count per period, and its busiest (or quietest)
# ("the busiest 10 seconds", "which 15 minutes had the most cars?": periods of several units)
_PEAK = re.compile(r"\b(?:(busiest|quietest)\s+(?:(\d+)[- ]?)?(second|minute|hour|day|week|month)s?|"
                   r"(?:which|what)\s+(?:(\d+)[- ]?)?(second|minute|hour|day|week|month)s?\b"
                   r"(?=.*\b(?:most|least|fewest)\b))")

# "which lane did the red car use?", "what zone was the worker in?" (not "which lane was busiest": an extreme)
_WHICH_ZONE = re.compile(r"^(which|what) (?:lane|zone)s?\b(?!.*\b(?:most|least|fewest|busiest|quietest|more|less|"
                         r"fewer|busier|quieter)\b)")


def _cut(text: str, m: re.Match[str], put: str = " ") -> str:
    """The text without what ``m`` matched (``put`` in its place), spaces tidied: a phrase once it is read."""
    return " ".join((text[:m.start()] + put + text[m.end():]).split())


Per = Literal["second", "minute", "hour", "day", "week", "month", "zone", "direction", "move", "colour"]
TIMED = ("second", "minute", "hour", "day", "week", "month")  # the splits by period of time
_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
             "tenth": 10}
# "the second car", "the 3rd person", "the second-to-last truck", "the penultimate car"
_ORDINAL = re.compile(r"\bthe (penultimate|(" + "|".join(_ORDINALS)
                      + r"|\d+(?:st|nd|rd|th))(?:[ -]to(?=[ -]last))?([ -]last)?)"
                      r"(?! half\b)(?= ((?:[a-z-]+ ){0,2}[a-z]+))?")  # "the second half" is a window


@dataclass(slots=True, frozen=True)
class Ordinal:
    """"The second car": the n-th to come (or to go, for leaving); from the end for "second to last"."""

    n: int
    from_end: bool
    words: str  # as said, for when it cannot be read


@dataclass(slots=True, frozen=True)
class Nth:
    """"Was the first car red?": the subject is the n-th object (from the end for "last") of those its words
    name, with the colours said in them ("the first red car"); the rest of the question is asked of it."""

    n: int
    from_end: bool
    words: str  # "first", "second to last"
    colours: tuple[str, ...] = ()
    windowed: bool = False  # the question's window picks it ("the first car after 0:10"), not what is asked of it


# "what did the red car do?", "where did the first car go?", "tell me about the truck": the story of an object
_STORY_HEAD = (r"(?:what (?:did|has|had)|where (?:did|has|had|was|were|is)|what (?:was|were|is)|what happened to|"
               r"tell me about|describe)")
_STORY = (r"^(?:(?:what|where) (?:did|has|had) (?:the|that|this) .*\b(?:do|done|go|gone|come from|came from|end up|"
          r"ended up)|what (?:was|were|is) (?:the|that|this) .*\bdoing|where (?:was|were|is) (?:the|that|this)|"
          r"(?:what happened to|tell me about|describe) (?:the|that|this))\b")
# "the first", "the second to last": an ordinal of objects
_NTH = (r"first|last|penultimate|(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))"
        r"(?:[ -]to[ -]last)?")
# a yes or no, "how long" or "which way" whose subject is "the first car", "the second red truck"
_NTH_SUBJECT = re.compile(rf"^(?:(?:was|is|did|does|has|had)|how long (?:was|did|has)|(?:how many times|how often) "
                          rf"(?:did|does|has|had)|{_STORY_HEAD}|(?:which|what) "
                          r"(?:direction|way) "
                          rf"(?:was|did|has)|(?:which|what) {_CAMERA} (?:saw|had|recorded|caught|showed|captured|got)) "
                          rf"(the ((?:{_NTH})))\b")


# "how long between the first and second car?", "the time from the first car to the last car"
_BETWEEN_NTH = re.compile(r"^(?:how long|how many (?:seconds|secs|minutes|mins)|how much time|what was the (?:time|gap|"
                          r"interval|delay|difference)|what is the (?:time|gap|interval|delay|difference))\b.*?\b(?:"
                          rf"between|from) the ((?:{_NTH}))(?: ([a-z]+))? (?:and|to) (?:the )?((?:{_NTH})) "
                          r"([a-z]+)")


# time words right after the object ("was the first car after 0:10 red?"): the window picks the n-th; elsewhere
# ("was the first car still there at 0:10?") it is asked of the n-th of all the footage
_WINDOW_NEXT = (r"(?:after|before|between|from|since|until|till|during|by|at \d|in the (?:first|last|past|final|"
                r"second|next))\b")


# "how long after the first car did the last car arrive?": between them too
_AFTER_NTH = re.compile(r"^how (?:long|many (?:seconds|secs|minutes|mins)|much time) after the ((?:" + _NTH + r"))(?: "
                        r"([a-z]+))? (?:did|was|were|had) the ((?:" + _NTH + r")) ([a-z]+) (?:arrive|come|appear|show "
                        r"up|turn up|enter|get there|seen)\b")


def _between_nth(text: str) -> tuple[str, tuple[Nth, ...]]:
    """"How long between the first and second car?" as "how long was the car", and the two asked; the text as it
    was where the words after the ordinals name no object."""
    if (m := _BETWEEN_NTH.match(text) or _AFTER_NTH.match(text)) is None or not {m.group(2), m.group(4)} & (
            CLASS_WORDS.keys() | KIND_WORDS.keys()):
        return text, ()
    cls = m.group(4) if m.group(4) in CLASS_WORDS or m.group(4) in KIND_WORDS else m.group(2)
    pair = tuple(Nth(n, way == "last", words) for words in (m.group(1), m.group(3))
                 for way, n in [_nth_of(words.replace("-", " "))])
    return f"how long was the {cls}{text[m.end():]}", pair


def asks_camera(text: str) -> bool:
    """Whether the question asks which camera ("which camera saw the first car?")."""
    return bool(re.match(rf"(?:which|what) {_CAMERA}\b", text.lower()))


def _nth_subject(text: str) -> tuple[str, tuple[Nth, ...]]:
    """The question with "the first car" as "the car", and the n-th asked (two, "between the first and second
    car"); none where none of the three words after the ordinal names an object ("was the first half busy?")."""
    if (between := _between_nth(text))[1]:
        return between
    if (m := _NTH_SUBJECT.match(text)) is None or (re.match(_STORY_HEAD, text) and not re.search(_STORY, text)):
        return text, ()
    after = text[m.end():].split()[:3]
    if (k := next((i for i, w in enumerate(after) if w in CLASS_WORDS or w in KIND_WORDS), None)) is None:
        return text, ()
    way, n = _nth_of(m.group(2).replace("-", " "))
    colours = tuple(w for w in after[:k] if w in COLOURS)
    windowed = bool(re.match(_WINDOW_NEXT, " ".join(text[m.end():].split()[k + 1:])))
    return text[:m.start(1)] + "the" + text[m.end(1):], (Nth(n, way == "last", m.group(2), colours, windowed),)


@dataclass(slots=True, frozen=True)
class Modifiers:
    """What a question says of its answer besides the objects: how a count is split, how long each must have
    been there, which one of them in order."""

    per: Per | None = None
    lasting: Lasting | None = None
    ordinal: Ordinal | None = None
    size: int = 1  # "per 15 minutes": periods of this many units
    average: Literal["mean", "median"] | None = None  # "the average time in view", "how many per hour on average"
    again: str = ""  # a second split's words ("per lane per hour"): said unchecked where it is not read
    then: tuple[Per, int] | None = None  # that second split (unit, size), where a count can split by both


def _modifiers(text: str) -> tuple[Modifiers, str]:
    """The split ("per hour", "per lane"), the duration every object must meet ("in view for over 4 s") and the
    ordinal ("the second car"), and the text without them (none is a time window; 'second' is not a unit)."""
    (per, size), text = _split(text)
    again, then = "", None
    if per is not None and (second := _split(text))[0][0] is not None:  # "per lane per hour": a count reads both
        again = "" if second[0] == (per, size) else _said_split(text, second[1])  # "per hour, each hour": one
        then = second[0] if again and _two_way(per, second[0][0]) else None
        text = second[1]
    ordinal = None
    if m := _ORDINAL.search(text):
        n = 2 if m.group(1) == "penultimate" else _ORDINALS.get(m.group(2)) or int(re.sub(r"\D", "", m.group(2)))
        # an ordinal of objects: "the second (red) car", "which car was the second to leave?"
        following = set((m.group(4) or "").split())
        ordinal = Ordinal(n, m.group(1) == "penultimate" or bool(m.group(3)), m.group(0).strip()) if following & (
            set(CLASS_WORDS) | set(KIND_WORDS)) or n < 2 or (m.group(4) or "").startswith("to ") else Ordinal(
            0, False, m.group(0).strip())
        text = _cut(text, m)
    lasting, text = _lasting(text)
    average = None
    if m := _AVERAGE.search(text):
        average, text = "median" if m.group(1) == "median" else "mean", _cut(text, m)
    return Modifiers(per, lasting, ordinal, size, average, again, then), text  # type: ignore[arg-type]


def _two_way(a: Per, b: Per | None) -> bool:
    """Whether a count can split by both ("per lane per hour", "per direction per minute"): not two periods of
    time, and not moves (each move is a row of its own)."""
    return b is not None and "move" not in (a, b) and not (a in TIMED and b in TIMED)


def _splits(said: Modifiers, intent: Intent, each: tuple[bool, bool, bool]) -> tuple[Per | None, int, Per | None, int]:
    """The split a count asks for and the one within it (unit and size of each): of two, the lanes outermost (a
    lane's count is of its visits), then the one that is no period of time ("per lane per minute": each lane's
    minutes)."""
    per = _per(said, intent, each)
    if not (said.then and intent == "count" and per == said.per):
        return per, said.size, None, 1
    outer, inner = ((said.per, said.size), said.then)
    if inner[0] == "zone" or outer[0] in TIMED:  # (two periods are never both read)
        outer, inner = inner, outer
    return outer[0], outer[1], inner[0], inner[1]


def _split(text: str) -> tuple[tuple[Per | None, int], str]:
    """How a count is split ("per hour", "per 15 minutes", "the busiest hour", "per lane", "which lane"): the unit
    (None: not split) and size, and the text without its words."""
    if (m := _PER_N.search(text)) and (read := _periods_of(m)):
        return read, _cut(text, m)
    if (m := _PEAK.search(text)) and (peak := _peak_of(m)):  # "the busiest hour": said as "most" for its extreme
        said = {"busiest": " most ", "quietest": " least "}.get(m.group(1) or "", " ")
        return peak, _cut(text, m, said)
    if m := _COMMON_COLOUR.search(text):  # "the most common colour": said as "most" for the extreme it asks
        rest = _cut(text, m, f" {m.group(1) or ''} {m.group(2) or ''} ")  # "the most common car colour": cars
        return ("colour", 1), re.sub(r"\b(most|least) (?:common|frequent|popular|usual)\b", r"\1", rest)
    if m := _PER.search(text):
        word = m.group(1) or m.group(2) or {"dai": "day"}.get(m.group(3) or "", m.group(3)) or m.group(4)
        word = {"lane": "zone", "color": "colour"}.get(word, word)
        return (word, 1), _cut(text, m)  # type: ignore[return-value]
    if m := _WHICH_ZONE.search(text):  # "which lane did the red car use?": the zones its objects entered
        return ("zone", 1), _cut(text, m, f" {m.group(1)} ")
    return (None, 1), text


def _said_split(before: str, after: str) -> str:
    """The words a split took from ``before`` to leave ``after``: "per hour", "in each direction"."""
    a, b = before.split(), after.split()
    i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
    j = next((k for k in range(min(len(a), len(b)) - i) if a[-1 - k] != b[-1 - k]), min(len(a), len(b)) - i)
    return " ".join(a[i:len(a) - j])


def _periods_of(m: re.Match[str]) -> tuple[Per, int] | None:
    """(unit, how many) of "per 15 minutes", "each half hour" (read as 30 minutes); None where periods of that
    many do not divide the next unit evenly ("per 7 minutes": its words stay unchecked)."""
    n, word = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    unit, size = _PER_UNIT.get(word, word), int(n)
    return (unit, size) if _even(unit, size) else None  # type: ignore[return-value]


def _even(unit: str, size: int) -> bool:
    """Whether periods of ``size`` units divide the next unit evenly ("per 15 minutes", not "per 7 minutes"; a
    day, week or month one at a time)."""
    return size >= 1 and {"second": 60, "minute": 60, "hour": 24}.get(unit, 1) % size == 0


def _peak_of(m: re.Match[str]) -> tuple[Per, int] | None:
    """(unit, how many) of "the busiest hour", "the busiest 10 seconds"; None where periods of that many do not
    divide the next unit evenly (or several days, weeks or months are asked): its words stay unchecked."""
    n, unit = (m.group(2), m.group(3)) if m.group(3) else (m.group(4), m.group(5))
    return (unit, int(n or 1)) if _even(unit, int(n or 1)) else None  # type: ignore[return-value]


def _ordered(intent: Intent, said: Modifiers) -> Intent:
    """"When did the second car leave?", "which was the third car?": the n-th, counted from the first or last;
    "what was the busiest hour?": a count per hour."""
    ordinal = said.ordinal
    if said.average and intent in ("when", "which", "open"):  # "what was the average time a car was in view?"
        return "duration"
    if ordinal and ordinal.n >= 2 and intent in ("when", "which", "first", "last"):
        return "last" if ordinal.from_end else "first"
    if said.per == "zone" and intent in ("open", "which"):  # "which lane did the red car use?"
        return "count"
    if said.per == "colour" and intent in ("open", "which", "exists"):  # "which colour was most common?"
        return "count"
    return "count" if said.per in TIMED and intent in ("open", "which", "extreme") else intent


def _per_read(per: str | None, intent: str) -> bool:
    """A split is read for counts of objects, and by period, zone or direction for counts of events ("crossings
    per hour", "stops per lane", "crossings per direction")."""
    return intent == "count" or (intent == "times" and (per in TIMED or per in ("zone", "direction")))


def _nth(said: Modifiers, intent: str) -> int | None:
    """The n-th asked for, where it is read (the first or last intent, from the second)."""
    return said.ordinal.n if said.ordinal and said.ordinal.n >= 2 and intent in ("first", "last") else None


def _unread(said: Modifiers, intent: str, time: TimeSpec, rest: str) -> tuple[str, ...]:
    """A split asked of anything but a count, an ordinal of anything but which one came (or went) when, and a
    unit of time no window was read from ("in an hour": the units are fillers once a time was read), and a
    second movement ("went up, then down") and "this time" of a day ("this time yesterday") are not read: their
    words stay unchecked."""
    per: tuple[str, ...] = (f"per {f'{said.size} ' if said.size > 1 else ''}{said.per}",) if said.per and not (
        _per_read(said.per, intent)) else ()
    per += (said.again,) if said.again and not (said.then and intent == "count") else ()
    if said.average and not (intent in ("duration", "empty") or (
            intent in ("count", "times") and said.per in TIMED) or (
            intent == "count" and not said.per)):  # a count with no split: the number in view on average
        per += ("on average",)  # an average of what no shape averages
    ordinal = said.ordinal
    unit = re.search(r"\b(?:a|an|one)\s+(?:second|sec|minute|min|hour|hr)\b", rest) if time.empty else None
    return per + ((ordinal.words,) if ordinal and (ordinal.n < 2 or intent not in ("first", "last")) else ()) + (
        (unit.group(0),) if unit else ()) + tuple(re.findall(_TURNED, rest)) + tuple(re.findall(_RECURRING, rest)) + (
        # "this time yesterday": the day is read, the moment of it is not (its words are fillers)
        ("this time",) if not time.empty and re.search(r"\bthis time\b", rest) else ())


# "parked for an hour", "in view for 10 seconds": at least that long
# "for 10 minutes", "stayed 2 minutes": at least that long (the verb stays, to be read: "stayed" is standing still)
_HELD = ("stay", "stays", "stayed", "remain", "remains", "remained", "wait", "waits", "waited")
_FOR_LASTING = re.compile(r"(?:\bfor\s+|" + "|".join(f"(?<=\\b{verb} )" for verb in _HELD) + r")"
                          r"(a|an|one|\d+(?:\.\d+)?)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h)\b")
_INCLUSIVE_AT_MOST = ("at most", "up to", "no more than", "no longer than")
_AT_MOST = ("less than", "under", "shorter than", "fewer than", *_INCLUSIVE_AT_MOST)


def _still_said(text: str) -> bool:
    """Whether a word of standing still is said, staying aside: with a duration "stayed" is being there ("did a
    car stay for 10 seconds?" and "stay longer than 3 seconds" are both time in view), "parked" standing still."""
    return re.search(_STILL, re.sub(_STAY, " ", text)) is not None


def _lasting(text: str) -> tuple[Lasting | None, str]:
    """A duration every object must meet, and the text without it (so it is not read as a time window)."""
    m = _LASTING.search(text)
    if not m and (m := _FOR_LASTING.search(text)):
        rest = _cut(text, m)
        seconds = (1.0 if m.group(1) in ("a", "an", "one") else float(m.group(1))) * _UNIT_S[m.group(2)[0]]
        return Lasting(seconds, of="still" if _still_said(rest) else "view", inclusive=True), rest
    if not m:
        return None, text
    rest = _cut(text, m)
    seconds = float(m.group(3)) * _UNIT_S[m.group(4)[0]]
    still = m.group(1) is None and _still_said(rest)  # "parked for more than 10 minutes"
    return Lasting(seconds, m.group(2) in _AT_MOST, "still" if still else "view",
                   m.group(2) in ("at least", *_INCLUSIVE_AT_MOST)), rest


@dataclass(slots=True, frozen=True)
class Side:
    """The other side of "more white cars than red cars?" / "did more cars go up than down?": the same objects
    with another colour or direction."""

    colours: tuple[str, ...] = ()  # colour words, as asked
    direction: str | None = None
    zone: str | None = None  # "more cars in lane_up than in lane_down", "was lane_up busier than lane_down?"
    line_side: Literal["in", "out"] | None = None  # "more crossings in than out?"


@dataclass(slots=True)
class Question:
    text: str
    intent: Intent
    classes: tuple[str, ...] = ()
    direction: str | None = None  # the one direction named (None when several are: see ``directions``)
    time: TimeSpec = field(default_factory=TimeSpec)
    zone: str | None = None  # a configured zone or counting line named in the question (None when several are)
    streams: tuple[str, ...] = ()  # stream ids named in the question
    event_types: tuple[str, ...] = ()  # for "how often" questions
    # "crossed midline going in", "inbound": the side a counting line was crossed to, as its events record it
    line_side: Literal["in", "out"] | None = None
    anchor: Anchor | None = None
    colours: tuple[str, ...] = ()  # the entity colours that match ("grey" matches grey and silver)
    colour_words: tuple[str, ...] = ()  # as asked
    moves: tuple[str, ...] = ()  # "entered" / "left" the picture while the footage ran (either, when both)
    approach: Literal["closer", "farther"] | None = None  # "toward the camera", "away from the camera"
    present: Literal["start", "end", "whole"] | None = None  # in view in the footage's first or last frame, or both
    edges: tuple[tuple[str, str], ...] = ()  # ("entry_edge", "top"): came in through / went out by that edge
    still: bool = False  # parked / stopped / standing still
    not_still: bool = False  # did not stop / never parked
    # "moving", "drove", "walked": moved at all; "never moved"; "drove past", "went by": moved and left the picture
    moving: Literal["moved", "never", "passed"] | None = None
    together: bool = False  # at the same time / together / at once
    # "a car and a person", "a white car and a red car at once": each of the objects joined by "and" is needed, by
    # class or (of one class) by colour
    each_of: Each | None = None
    distinct: str = ""  # "unique" cars, "different" people: each object once (across cameras: not checked)
    every: bool = False  # "did all cars drive top to bottom?": every one of the class meets the conditions
    lasting: Lasting | None = None  # "in view for over 4 s", "parked for more than 10 minutes"
    arrival: bool = False  # "when did the last car appear?": the latest to come, not the one seen last; "when did
    # it arrive and when did it leave?": both moments; "how many cars appeared after 0:15?": came in that window
    number: AtLeast | None = None
    extreme: Literal["longest", "shortest", "most", "least"] | None = None
    extreme_of: Literal["direction", "zone", "stream"] | None = None  # "which direction did most cars go"
    unchecked: tuple[str, ...] = ()  # words no recogniser took: conditions not checked
    unknown_stream: str | None = None  # "in nosuch-cam": named like a stream, but no stream has that name
    distance_m: float | None = None  # "within 2 m of": the gap a "near" question asks about
    negated: Literal["colours", "direction", "moves"] | None = None  # "not white", "did not go up", "never left"
    colour_asked: bool = False  # "what colour was the last car?": each object's colour is the answer
    than: tuple[str, ...] = ()  # "more cars than people": the classes compared against (the others are counted)
    fewer: bool = False  # "fewer/less ... than": the counted classes are asked to be fewer
    than_side: Side | None = None  # the same classes compared under another colour, direction or zone
    by_how_many: bool = False  # "how many more white cars than red cars?": the difference is the answer
    # "how many cars per hour?", "... per lane?": a count for each minute/hour/day of the window (by first seen),
    # each zone, or each direction; read for counts only (said unchecked otherwise)
    per: Per | None = None
    per_size: int = 1  # "per 15 minutes": each period is this many of ``per``'s unit
    then_per: Per | None = None  # "per lane per minute": each of ``per``'s counts split again by this (its size)
    then_size: int = 1
    average: Literal["mean", "median"] | None = None  # how long on average, or the mean count per period
    gaps: bool = False  # "the longest gap between cars": only stretches with one of them before and after
    ordinal: int | None = None  # "when did the second car leave?": the n-th (first or last intent), from 2
    moves_both: bool = False  # "came in and left": each object did both of ``moves`` (else either)
    directions: tuple[str, ...] = ()  # "up or down": several directions named, any of them (a count by "and": each)
    zones: tuple[str, ...] = ()  # "lane_up or lane_down": several zones named, any of them (a count by "and": each)
    second: str = ""  # "how many cars, and how many were red?": a second question asked with the first, unanswered
    nth: tuple[Nth, ...] = ()  # "was the first car red?": asked of the n-th object the subject names (or two)
    occupied: bool = False  # "when was lane_up occupied?": when something was there (empty's other side)
    # "was lane_up empty at 0:10?" ("place"), "were there no cars?" ("none"): yes where nothing was there (an exists
    # answer flipped); "was lane_up ever empty?" ("ever"), "... never empty?" ("never"): the empty stretches, as a
    # yes or no
    empty_asked: str = ""
    wrong_way: bool = False  # "did a car drive the wrong way in lane_up?": against the zone's set direction
    changed_zone: bool = False  # "did any car change lanes?": entered more than one of the zones
    # "did any car use lane_up and lane_down?", "how many cars used both lanes?": entered (or crossed) each of them
    every_place: bool = False
    in_order: bool = False  # "did anyone go from the walkway to the restricted zone?": each place, in that order
    longer: bool = False  # "was the red car in view longer than the silver car?": their times compared, not counts
    from_anchor: bool = False  # "how long after the red car left did the last car arrive?": from the anchor's moment
    again: bool = False  # "did any car enter lane_up twice?", "more than once": at least two visits of the places
    of_events: bool = False  # "were there more crossings in than out?": events compared, not the objects in them
    headway: bool = False  # "how long between cars?": from one object's first sighting to the next one's
    event_end: Literal["first", "last"] | None = None  # "what happened first?": the first (or last) event recorded
    only: frozenset[tuple[str, str]] | None = None  # the objects (stream, entity id) it is asked of (the n-th's)
    share_of: Question | None = None  # "what percentage of the vehicles were white?": the whole (this the part)
    outside: bool = False  # "did any car not use a lane?", "was anyone outside the dock?": entered none of them
    within: tuple[str, ...] = ()  # "in lane_down but never crossed midline": outside's places said without a "not"
    crossed_in: tuple[str, ...] = ()  # "crossed midline in lane_down": the line's crossings made inside these zones
    each_stream: bool = False  # "were there cars in every camera?", "how many cars per camera?": each apart
    # "were there any dogs?": objects the detector called so, which vidgraph follows as unnamed objects
    detector_words: tuple[str, ...] = ()
    often: Literal["most", "fewest"] | None = None  # "which car crossed midline the most times?": by its crossings

    @property
    def ways(self) -> tuple[str, ...]:
        """The directions an object may have taken to be counted (none: any)."""
        return self.directions or ((self.direction,) if self.direction else ())

    @property
    def places(self) -> tuple[str, ...]:
        """The zones or lines an object must have visited to be counted (none: anywhere)."""
        return self.zones or ((self.zone,) if self.zone else ())

    @property
    def t0(self) -> float | None:
        return self.time.t0

    @property
    def t1(self) -> float | None:
        return self.time.t1

    @property
    def noun(self) -> str:
        """What the answer calls the objects: "object" for every class, "vehicle" for every vehicle class, "truck
        or bus" for a few."""
        if set(EVERY_CLASS) <= set(self.classes):
            return "object"
        if set(VEHICLES) <= set(self.classes):  # "vehicle" for all of them, beside what else was asked about
            rest = [c for c in self.classes if c not in VEHICLES]
            return " or ".join([*rest, "vehicle"] if rest and self.classes.index(rest[0]) == 0 else ["vehicle", *rest])
        return " or ".join(self.classes) if self.classes else "object"


# proximity to an object: "near a forklift", "within 2 m of a person" (not "the near lane")
_NEAR = re.compile(r"\b(?:near|close to|next to|proximity (?:to|of)|within\s+\d+(?:\.\d+)?\s*" + LENGTH_UNIT +
                   r"(?: of)?)\s+(?:(?:a|an|the|any|some|one|other)\s+)?([a-z]+)")


# "what was the longest time a car was in view?", "what is the shortest stay?": a duration, its extreme
_LONGEST_TIME = (r"^what(?: was| is|'s)? the (?:(?:longest|shortest)\b"
                 r"(?:(?: \w+)? (?:time|stay|dwell|visit|while|stop|wait)\b|"
                 r".*\b(?:stayed|in view|remained|spent|waited|lingered|dwelled|parked)\b)|"
                 # "what was the total time cars spent in lane_up?": how long
                 r"(?:total )?(?:amount of )?time\b.*\b(?:spent|stayed|in view|remained|parked)\b)")


# "list all events", "what happened first?", "what was the last event?", "how many events were there?", "show
# the timeline": the events recorded, in order (not "what happened?": a summary, for the answering model)
EVENT_NOUN = r"(?:crossings|entries|exits|departures|arrivals|stops)"
_AN_EVENT = r"(?:crossing|entry|exit|departure|arrival|stop)"  # "when was the last crossing?": the last of those
_EVENT_LOG = (r"^(?:(?:list|show|give|tell)(?: me)?(?: all| every)?(?: of)?(?: the)? (?:events|event log|timeline|"
              rf"(?:[a-z_()-]+ ){{0,2}}?{EVENT_NOUN})|(?:when|at what times?) (?:were|was|did) (?:the |all the )?"
              rf"(?:[a-z_()-]+ ){{0,2}}?{EVENT_NOUN}|"
              r"what (?:events|happened (?:first|last))|(?:what|which) (?:was|were|is) the (?:first|last|latest) "
              r"(?:events?|things? that happened)|how many events|"
              rf"(?:what|which|when) (?:was|is) the (?:first|last|latest) (?:[a-z_()-]+ ){{0,2}}?{_AN_EVENT})\b")
# events named as nouns: "how many crossings were there?", "the number of midline crossings": how often
_EVENT_NOUNS = rf"\b(?:how many|number of|count of|total)\b(?: [a-z_()-]+){{0,2}}? {EVENT_NOUN}\b"
_EVENT_LOG_WORDS = r"\b(?:events?|event log|timeline|happened|list|show|give|tell|all|every|things?)\b"


# "what" as the subject of a verb the graph records: which objects did it ("what happened?" stays open); "what
# was" alone is what is left of "what was in restricted?" or "what was at 0:16?" once the place or time is read
_WHAT_DID = (r"what (?:(?:was|were|is|are)(?: (?:in|inside|at|on|parked|stationary|standing|still|stopped|moving|"
             r"there)\b|$)|(?:entered|left|crossed|moved|stopped|parked|passed|went|drove|came|stood|used|appeared|"
             r"arrived|departed)\b)")


def _total_of_objects(text: str) -> bool:
    """"Total cars that passed midline", "the total of people": a count (not a total time or duration)."""
    return bool(re.search(r"\btotal\b(?! (?:amount of )?time\b| duration\b)", text) and not re.search(
        r"\bhow (?:long|much time)\b", text) and any(w in CLASS_WORDS or w in KIND_WORDS for w in text.split()))


def _intent(text: str) -> Intent:
    if re.search(_STORY, text):
        return "story"
    if re.search(_EVENT_LOG, text):
        return "events"
    if re.search(r"^how many (?:more|fewer|less)\b.*\bthan\b", text):  # "how many more cars than people?"
        return "compare"
    if (re.search(r"^(when|at what times?|what times?|during what times?|how long|how much time|how many (?:seconds|"
                  r"secs|minutes|mins|hours))\b", text) and re.search(
            f"{_EMPTY}|{_OCCUPIED}", text)) or re.search(_GAP, text) or re.search(_EVER_EMPTY, text):
        return "empty"
    if any(word in CLASS_WORDS or word in KIND_WORDS for word in _NEAR.findall(text)):
        return "near"
    if re.search(r"\bhow often\b|\bhow many times\b|\bnumber of times\b", text) or re.search(_EVENT_NOUNS, text):
        return "times"
    # "which lane had the most cars?", "which lane had more cars?" (of the lanes, without "than": the most)
    if re.search(rf"^which (direction|way|lane|zone|{_CAMERA})\b.*(?:\b(?:most|least|fewest|busiest|quietest)\b|"
                 rf"{_MORE}(?!.*\bthan\b))", text):
        # "which direction had the most crossings?": the events counted per direction (or lane), the most said
        return "times" if re.search(rf"\b{EVENT_NOUN}\b", text) and not re.search(_CAMERA, text) else "extreme"
    if re.search(_TOGETHER, text) and re.search(r"\bhow many\b|(?<!\bat )\bmost\b|\bmaximum\b", text):
        return "together"
    if re.search(r"\bhow many (?:seconds|secs|minutes|mins|hours|hrs)\b", text):  # "how many seconds was it in view"
        return "duration"
    if re.search(r"\bhow many\b|\bnumber of\b|\bcount\b", text) or _total_of_objects(text):
        return "count"
    if re.search(r"\bhow long\b|\bduration\b|\bhow much time\b", text) or re.search(_LONGEST_TIME, text):
        return "duration"
    if re.search(r"^(were|was|are|is|did|do|does|have|has)\b", text) and re.search(_COMPARE, text):
        return "compare"
    # "which car left first", "who was the first to arrive?", "which was the last one to leave?"
    if re.search(r"^(which|who)\b", text) and (m := re.search(
            r"\b(first|last)$|\bthe (first|last)(?: [a-z]+)? to\b|"
            r"^(?:which|who) (?:was|is) the (first|last)(?: [a-z]+){1,2}$", text)):  # (and "which was the first car?")
        return "first" if "first" in m.groups() else "last"
    if re.search(r"^(which|who)\b", text) or ((m := re.match(r"what (\w+)", text)) and (
            m.group(1) in CLASS_WORDS or m.group(1) in KIND_WORDS)):
        return "which"
    if re.search(r"\bfirst\b", text):
        return "first"
    if re.search(r"\blast\b|\blatest\b|\bfinal\b", text):
        return "last"
    if re.match(_WHAT_DID, text):  # "what entered lane_up?", "what was parked?": which objects (it was open)
        return "which"
    if re.search(_COMMAND, text):
        return "which"
    if re.fullmatch(_BARE, text):
        return "exists"
    if re.search(r"^(were|was|is|are|did|do|does|has|have)\b|\bany\b", text):
        return "exists"
    if re.search(r"\bwhen\b|\bwhat times?\b|\bat what\b", text):
        return "when"
    if re.search(_COLOUR_ASKED, text):  # "what colour was the car that entered at the bottom?": which, with colours
        return "which"
    return "open"


# what may stand between two object words that are both asked about ("cars and trucks", "red cars or white vans")
_COORDINATING = frozenset("and or nor plus also both either neither a an the any some how many much number count "
                          "all".split()) | frozenset(COLOURS)


# the order lists are given in already (by first seen, over several streams by their wall clocks)
_IN_ORDER = (r"\bin (?:the |their )?order\b(?: of (?:their )?(?:appearance|arrival)\b| (?:in which )?they\b"
             r"(?: (?:appeared|arrived|came|were seen)\b)?)?|\bin (?:time|chronological) order\b|\bchronologically\b")
# a count of several classes says each class's ("10 vehicles (9 cars, 1 truck)"): what "by type" asks
_BY_TYPE = r"\b(?:(?:broken down |split )?(?:by|per)|of each|for each|each) (?:type|class|kind|category)\b"
_IS = frozenset("were was are is a an".split())  # "vehicles were trucks": the narrower class named after them


def _classes(text: str, intent: Intent) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The classes asked about, and the object words the question only relates them to ("how many people got
    off the bus", "trucks that passed the parked car"): those are not counted, and stay unchecked. A kind of
    vehicle no class names ("SUV", "van") stands for the classes it is detected as; its word stays unchecked (it
    is not a class word). A proximity question is about both of its objects."""
    found: list[str] = []
    related: list[str] = []
    words = re.findall(r"[a-z]+", text)
    last: int | None = None
    for i, word in enumerate(words):
        kinds = (CLASS_WORDS[word],) if word in CLASS_WORDS else KIND_WORDS.get(word, ())
        kinds = ("person",) if word in SOMEONE_WORDS else kinds
        if not kinds:
            continue
        # "a car in lane_up and a (red) car in lane_down": the same objects asked again, not another one
        joined = [k for k in range(max(0, i - 4), i) if words[k] == "and"]
        again = set(kinds) <= set(found) and bool(joined) and _COORDINATING.issuperset(words[joined[-1] + 1:i])
        wide = {c for f in found for c in {"vehicle": VEHICLES, "object": EVERY_CLASS}.get(f, (f,))}
        if last is not None and set(kinds) < wide and _IS.issuperset(words[last + 1:i]):
            found = list(kinds)  # "how many of the vehicles were trucks?": the trucks
            last = i
            continue
        if (last is not None and intent not in ("near", "compare") and not again
                and not _COORDINATING.issuperset(words[last + 1:i])):
            start = i  # with the words describing it ("the parked car"): they are not about what is counted
            while start > last + 1 and words[start - 1] not in FILLERS and words[start - 1] not in CLASS_WORDS:
                start -= 1
            related.append(" ".join(words[start:i + 1]))
            continue
        last = i
        found += [cls for cls in kinds if cls not in found]
    for word, every in (("object", EVERY_CLASS), ("vehicle", VEHICLES)):  # beside what else was named
        if word in found:  # "objects": every class ("object" is also one); "people or vehicles"
            at = found.index(word)
            found[at:at + 1] = [c for c in every if c == word or c not in found]
    if not found and re.search(r"^who\b", text):
        found = ["person"]
    return tuple(found), tuple(w for w in related if w not in SOMEONE_WORDS)


def class_groups(classes: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The objects as asked: "vehicle" one group of its classes, "object" one of every class, the rest each
    their own ("a person and a vehicle": two)."""
    whole = [every for every in (EVERY_CLASS, VEHICLES) if set(every) <= set(classes)][:1]
    groups: list[tuple[str, ...]] = []
    for c in classes:
        group = whole[0] if whole and c in whole[0] else (c,)
        groups += [group] if group not in groups else []
    return groups


def object_groups(text: str, classes: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The objects of a question as asked (:func:`class_groups`), where a word that names either of two classes
    ("a van": a car or a truck) makes those one object."""
    groups = class_groups(classes)
    for w in re.findall(r"[a-z]+", text):
        kinds = set(KIND_WORDS.get(w, ()))
        if len(spanned := [g for g in groups if kinds & set(g)]) > 1:
            groups = [g for g in groups if g not in spanned]
            groups.insert(0, tuple(c for g in spanned for c in g))
    return groups


def _said(pattern: str, text: str) -> str:
    """The words of the first match of ``pattern`` in ``text``, "" for none."""
    return m.group(0) if (m := re.search(pattern, text)) else ""


def _each_of(classes: tuple[str, ...], colour_words: tuple[str, ...], text: str, intent: Intent,
             each_place: tuple[bool, bool]) -> Each | None:
    """Whether each of the objects asked about is needed ("a car and a person", "a red car and a green car", at
    the same time or not): joined by "and" (not "or"), of several classes, or of one class in several colours;
    and whether a yes or no asks for each zone or direction joined by "and" (``each_place``: zones, directions)
    ("did a car use lane_up and a car use lane_down?")."""
    words = re.findall(r"[a-z]+", text)
    at = [i for i, w in enumerate(words) if w in CLASS_WORDS or w in KIND_WORDS or w in SOMEONE_WORDS or w in COLOURS]
    between = words[at[0] + 1:at[-1]] if len(at) > 1 else []
    if "and" in between and "or" not in between:
        if len(object_groups(text, classes)) > 1:
            return "class"
        if len(colour_words) > 1:
            return "colour"
    return ("zone" if each_place[0] else "direction" if each_place[1] else None) if intent == "exists" else None


def either_still(text: str) -> bool:
    """Whether the question asks of objects moving or standing still, either ("was the car parked or moving?")."""
    return bool(re.search(_EITHER_STILL, text.lower()))


def one_subject(text: str) -> bool:
    """Whether the question names one object, once and in the singular ("did any car enter lane_up and leave
    lane_down?": one car doing both), not several ("cars", "a car ... and a car ...")."""
    words = re.findall(r"(?<![-\w.])[a-z]+(?![-\w.])", text.lower())  # not inside a name ("car-detection")
    named = [w for w in words if w in CLASS_WORDS or w in KIND_WORDS or w in SOMEONE_WORDS]
    return len(named) == 1 and not named[0].endswith("s") and named[0] not in ("people", "men", "women", "children")


def colours_of(text: str, group: tuple[str, ...]) -> tuple[str, ...]:
    """Of objects of several classes, the colour words said of the ``group`` of classes: a colour word belongs to
    the object word after it ("a red car and a person": red is the car's), else to the one before it ("a car and
    a person in red")."""
    words = re.findall(r"[a-z]+", text)
    objects = [(i, (CLASS_WORDS[w],) if w in CLASS_WORDS else KIND_WORDS.get(w, ("person",)))  # "a van": either
               for i, w in enumerate(words) if w in CLASS_WORDS or w in KIND_WORDS or w in SOMEONE_WORDS]
    owned = []
    for i, w in enumerate(words):
        if w in COLOURS:
            after = [c for j, c in objects if j > i]
            before = [c for j, c in objects if j < i]
            owner = after[0] if after else before[-1] if before else group
            owned += [w] if set(owner) & set(group) else []
    return tuple(dict.fromkeys(owned))


def _objects(text: str, intent: Intent) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """The classes asked about, the words of the objects the question only relates them to (unchecked), and the
    text without those, so "how many trucks passed the parked car?" does not ask for trucks that stood still."""
    classes, related = _classes(text, intent)
    for phrase in related:
        text = " ".join(re.sub(r"\b" + r"\s+".join(map(re.escape, phrase.split())) + r"\b", " ", text, count=1).split())
    return classes, tuple(w for phrase in related for w in phrase.split()), text


# "what colour was the car?", "which ... car's colour?", "list the cars with their colours"
_COLOUR_ASKED = (r"\b(what|which) colou?rs?\b|^(?:what|which) (?:was|were|is|are)\b.*\bcolou?rs?\b|"
                 r"\b(?:with|and|plus|including) (?:(?:their|its|the) )?colou?rs?\b")
# what may follow a colour that describes the object asked about: its class word, more colours ("red or white
# cars", "red-and-white buses"), "the red one", "a dark green colour", a shade ("black or dark grey"), or nothing
# said of another thing
_COLOUR_OF_OBJECT = frozenset("and or one ones colour color coloured colored dark".split()) | frozenset(COLOURS)


# a colour said of the objects after "that were": "cars that were white crossed midline", "people who were in red"
_SAID_OF = r"\b(?:that|which|who) (?:were|was|is|are)(?: not)?(?: (?:in|dressed in|wearing))?$"


def _object_colours(text: str, other_side: tuple[str, ...] = ()) -> tuple[tuple[str, ...], tuple[str, ...],
                                                                           tuple[str, ...], str]:
    """The colour words describing the objects asked about ("red cars", "were any cars red?", "a person in
    red") and the colours they match, the words of a colour that describes another thing ("stopped at the red
    light", "a person with a red bag", "a black person": not checked, and not the object's colour), and the text
    without those.
    ``other_side``: the colours of what the objects are compared with ("than red cars"), not theirs."""
    words = re.findall(r"[a-z]+", text)
    cut = words.index("than") if other_side and "than" in words else len(words)  # the other side's follow it
    own: list[str] = []
    other: list[str] = []
    i = 0
    while i < len(words):
        j = next((k for k in range(i + 1, len(words)) if words[k] not in _COLOUR_OF_OBJECT), len(words))
        after = words[j] if j < len(words) else None
        if words[i] not in COLOURS:
            i += 1
        elif after is not None and "person" in (CLASS_WORDS.get(after), *KIND_WORDS.get(after, ())):
            # "a black person", "white men": their skin, which nothing reads (a person's colour is their clothes',
            # "a person in black"); not checked, and the person still asked about
            other.append(" ".join([*(w for w in words[i:j] if w in COLOURS), after]))
            text = " ".join(re.sub(rf"\b{words[i]}\b.*?(?=\b{after}\b)", " ", text, count=1).split())
            i = j
        elif after is None or after in CLASS_WORDS or after in KIND_WORDS or after in SOMEONE_WORDS or (
                after in FILLERS or re.search(_SAID_OF, " ".join(words[:i]))):
            own += [words[k] for k in range(i, j) if words[k] in COLOURS and k < cut]
            i = j
        else:  # "the red and white sign": these words stay unchecked
            text = " ".join(re.sub(rf"\b{words[i]}\b.*?\b{after}\b", " ", text, count=1).split())
            other += [w for w in words[i:j + 1] if w not in ("and", "or")]
            i = j + 1
    return tuple(dict.fromkeys(own)), matching_colours(own), tuple(dict.fromkeys(other)), text


# a person's colour is the colour of their clothes: "anyone wearing red", "people dressed in white"
_WEARING = r"\b(wearing|wore|wears|dressed|clad|clothed)\b"


def _phrases(words: Sequence[str]) -> tuple[str, ...]:
    """The words not checked, each once, and none also inside a longer phrase said ("men", "white men")."""
    said = list(dict.fromkeys(words))
    return tuple(w for w in said if not any(w != other and w in other.split() for other in said))


def matching_colours(words: Sequence[str]) -> tuple[str, ...]:
    """The stored colours colour words match ("grey" matches grey and silver)."""
    return tuple(dict.fromkeys(c for w in words for c in COLOURS[w]))


# a negation just before a condition ("were not white", "non-white", "did not go up", "never left", "other than red")
_NEG_WORDS = r"(?:not|never|didn't|did not|don't|doesn't|wasn't|weren't|isn't|aren't|non|other than)"
_NEG_BEFORE = re.compile(r"\b" + _NEG_WORDS + r"(?:[\s-]+[a-z']+)?[\s-]+$")


def _negated(text: str, colour_words: tuple[str, ...], direction: str | None, moves: tuple[str, ...],
             edges: tuple[tuple[str, str], ...]) -> tuple[Literal["colours", "direction", "moves"] | None, str]:
    """The one condition a negation stands right before, answered as its complement ("how many cars were not
    white?": the cars of a recorded colour other than white), and the text without that negation (any other
    stays to be read, or left unchecked). None where there is none, or where what it covers is not one
    condition ("did not enter from the bottom"): the negation then stays unchecked."""
    patterns = {"colours": [rf"\b{w}\b" for w in colour_words],
                "direction": [p for p, d in DIRECTIONS.items() if d == direction],
                "moves": [MOVES[m] for m in moves]}
    found = {name: neg.start() for name, options in patterns.items() for pattern in options
             if (m := re.search(pattern, text)) and (neg := _NEG_BEFORE.search(text[:m.start()]))}
    if len(found) != 1 or ("moves" in found and (edges or len(moves) > 1)):
        return None, text
    [(name, at)] = found.items()
    said = re.match(_NEG_WORDS, text[at:])
    assert said is not None  # _NEG_BEFORE matched there
    return name, text[:at] + text[at + said.end():]  # type: ignore[return-value]


def _compared(text: str, classes: tuple[str, ...],
              intent: Intent) -> tuple[Intent, tuple[str, ...], bool, Side | None]:
    """For a comparison: the classes after "than" (what the others are compared with), whether fewer is asked,
    and, where both sides are the same objects, the other side's colour or direction ("more white cars than red
    cars", "did more cars go up than down"). Where the sides differ in neither, it is asked whether any exist,
    and 'more' stays unchecked."""
    m = re.search(_COMPARE, text) if intent == "compare" else None
    if m is None:
        return ("exists" if intent == "compare" else intent), (), False, None
    than, fewer = _classes(text[m.end():], "compare")[0], m.group(1) != "more"
    if than and set(classes) - set(than):  # other classes, with their own colours ("than red cars")
        colours = tuple(w for w in re.findall(r"[a-z]+", text[m.end():]) if w in COLOURS)
        return intent, than, fewer, Side(colours=colours) if colours else None
    side = _other_side(text[:m.start()] + m.group(0)[:-4], text[m.end():])
    return ("compare", (), fewer, side) if side else ("exists", (), False, None)


_BARE_WAY = {"up": "bottom_to_top", "down": "top_to_bottom"}  # "than down" after "go up"


def _other_side(left: str, right: str) -> Side | None:
    """The colour or direction the words after "than" name, where the words before name another."""
    colours = [tuple(w for w in re.findall(r"[a-z]+", part) if w in COLOURS) for part in (left, right)]
    if all(colours) and set(colours[0]) != set(colours[1]):
        return Side(colours=colours[1])
    ways = [next((d for pattern, d in DIRECTIONS.items() if re.search(pattern, part)), None) for part in (left, right)]
    ways[1] = ways[1] or next((d for w, d in _BARE_WAY.items() if re.search(rf"\b{w}\b", right)), None)
    if ways[0] and ways[1] and ways[0] != ways[1]:
        return Side(direction=ways[1])
    return None


def _named(text: str, names: tuple[str, ...]) -> list[str]:
    """Names (zones, streams) that occur in the text, longest first, each taking its words so a shorter name
    inside it ("car" in "car-loop") does not match too; ``lane 2`` and ``lane-2`` match ``lane_2``."""
    joined = "_" + re.sub(r"[^a-z0-9]+", "_", text) + "_"
    found = []
    for name in sorted(names, key=len, reverse=True):
        token = "_" + re.sub(r"[^a-z0-9]+", "_", name.lower()) + "_"
        if token in joined:
            found.append(name)
            joined = joined.replace(token, "_")
    return found


def stream_names_said(text: str, names: Iterable[str]) -> list[str]:
    """The stream names (ids, file names, their stems) said in a question's text (lower case). A stream id like
    "car" or "worker" is an object word first: names that are object words never name a stream."""
    return _named(text, tuple(n for n in names if n.lower() not in CLASS_WORDS and n.lower() not in KIND_WORDS))


def _streams_named(text: str, streams: dict[str, str]) -> tuple[list[str], tuple[str, ...]]:
    """The stream names said, and the stream ids they name."""
    said = stream_names_said(text, streams)
    return said, tuple(dict.fromkeys(streams[n] for n in said))


# a second question after the first: "how many cars were there, and how many were red?"
_ASKED = r"(how|when|which|what|who|where|was|were|did|do|does|is|are|has|have|list|show|count)\b"
_SECOND = re.compile(r"(?:,\s*|\s)(?:and|then|also)\s+(?:how many|how long|how often|when|which|what|who|where|was|were"
                     r"|did|is|are)\b.*$")


def _one_question(text: str, each: bool) -> tuple[str, str]:
    """The first of two questions asked in one, and the second (not answered: said so) -- unless the second asks
    the first's count apart for another direction, zone or move ("how many went up and how many went down",
    read as a split)."""
    if each or _moves(text)[2] or not (m := _SECOND.search(text)) or not re.match(_ASKED, text):
        return text, ""
    second = " ".join(m.group(0).replace(",", " ").split())
    # read as one: "when did it arrive and when did it leave" (both moments), "... and what colour were they",
    # "how many cars and how many trucks" (each class counted)
    if (re.match(r"when\b", text) and re.search(r"\band when\b", second)) or re.search(_COLOUR_ASKED, second) or (
            re.fullmatch(r"and how many (?:" + _CLASS_ALT + r")", second)):
        return text, ""
    return text[:m.start()], re.sub(r"^(?:and|then|also) ", "", second)


def _places(text: str, zones: tuple[str, ...], stream_names: list[str]) -> tuple[list[str], bool, str]:
    """The zones named ("lane_up or lane_down": either; "how many used lane_up and how many lane_down": each,
    the bool), and the text without them and the streams named ("car-detection" names a stream, not cars)."""
    spans = [(m.start(), m.end(), z) for z in _named(text, zones) for m in re.finditer(_name_re(z), text)]
    places, each = list(dict.fromkeys(z for _, _, z in sorted(spans))), _each(text, spans)
    for name in [*stream_names, *places]:
        text = _without(text, name)
    return places, each, text


def said_in(text: str, place: str) -> bool:
    """Whether the place is said as where something was ("in lane_down", "inside the dock")."""
    return re.search(r"\b(?:in|inside|within)\s+(?:the\s+)?" + _name_re(place), text.lower()) is not None


def _name_re(name: str) -> str:
    """A name as said: ``lane 2``, ``lane-2`` and ``lane_2`` are one."""
    return r"\b" + r"[^a-z0-9]+".join(map(re.escape, re.findall(r"[a-z0-9]+", name.lower()))) + r"\b"


def _without(text: str, name: str) -> str:
    """The text without a name, and the preposition that put it there ("which car left last in car-detection":
    'last' ends the question again)."""
    return " ".join(re.sub(r"(?:\b(?:in|inside|on|of|from|at|for)\s+(?:the\s+)?)?" + _name_re(name) +
                           r"(?:\s+(?:zone|area|region|lane|line)\b)?", " ", text).split())  # "the dock area"


# "after the first car left, ..." at the start, or "... before the red car appeared" anywhere
# (without a verb, "how many cars came after the red car?", "before the first truck, ...": when it appeared)
_ANCHOR = re.compile(
    r"(?:^|\b)(after|once|before)\s+(?:the\s+|a\s+)?(?:(" + _NTH + r")\s+)?(?:([a-z]+)\s+)??([a-z]+)(?:\s+(left|exited|"
    r"disappeared|appeared|arrived|entered|came|crossed)\b|(?=\s*,|\s*$|\s+(?:in|at|on|and|did)\b))\s*,?\s*"
)
_CLASS_ALT = "|".join(sorted(CLASS_WORDS, key=len, reverse=True))
# "between the red car and the last white car", "between the first truck leaving and ...": two moments
_ONE_ANCHOR = (r"the\s+(?:(" + _NTH + r")\s+)?(?:([a-z]+)\s+)?(" + _CLASS_ALT + r")(?:\s+(left|leaving|exited|"
               r"disappeared|appeared|appearing|arrived|arriving|entered|came|crossed))?")
_BETWEEN_ANCHORS = re.compile(r"\bbetween\s+" + _ONE_ANCHOR + r"\s+and\s+" + _ONE_ANCHOR + r"\b\s*,?\s*")
# "at the same time as the silver car", "while the red car was in view": that entity's time in view (one entity:
# "the"; "at the same time as a car" is not read this way)
_DURING = re.compile(
    r"(?:^|\b)(?:(?:at the same time as|together with|alongside)\s+the\s+(?:(" + _NTH + r")\s+)?"
    r"(?:([a-z]+)\s+)??(" + _CLASS_ALT + r")(?:\s+(?:was|were)(?:\s+(?:in view|there|visible|present))?)?|"
    r"(?:while|when|whilst)\s+the\s+(?:(" + _NTH + r")\s+)?(?:([a-z]+)\s+)??(" + _CLASS_ALT + r")\s+"
    r"(?:was|were)\s+(?:in view|there|visible|present|in the picture))\b\s*,?\s*")
# "how many cars were in view when the red car left?": at that moment (one entity: "the")
_AT_ANCHOR = re.compile(r"(?:^|\b)(?:when|as|the moment|at the moment)\s+the\s+(?:(" + _NTH + r")\s+)?(?:([a-z]+)\s+)?("
                        + _CLASS_ALT + r")\s+(left|exited|disappeared|appeared|arrived|entered|came|crossed)\b\s*,?\s*")
# "in nosuch-cam", "on cam-7", "at gate3": named like a stream (a hyphen, an underscore or a digit in it)
_STREAMISH = re.compile(r"\b(?:in|on|from|at)\s+([a-z][a-z0-9]*(?:[-_][a-z0-9]+)+|[a-z]+\d+[a-z0-9]*)\b")


def _nth_of(words: str | None) -> tuple[Literal["first", "last"], int]:
    """"first" -> (first, 1), "second" -> (first, 2), "second to last" -> (last, 2), "penultimate" -> (last, 2)."""
    if not words or words == "first":
        return "first", 1
    if words == "last":
        return "last", 1
    if words == "penultimate":
        return "last", 2
    word = words.split()[0].split("-")[0]
    n = _ORDINALS.get(word) or int(re.sub(r"\D", "", word))
    return ("last" if re.search(r"\blast$", words) else "first"), n


def _one_anchor(m: re.Match[str], at: int, side: Literal["after", "before"]) -> Anchor | None:
    """The entity an anchor names ("the second red car left"), from four groups of ``m`` from ``at``: ordinal,
    colour, class word and verb. A class word, with an optional colour and ordinal; its moment is when it left (said
    so) or else appeared."""
    nth, colour, word, verb = m.group(at), m.group(at + 1), m.group(at + 2), m.group(at + 3)
    cls = CLASS_WORDS.get(word)
    if not cls or (colour and colour not in COLOURS):
        return None
    moment: Literal["left", "appeared"] = "left" if verb in ("left", "leaving", "exited", "disappeared") else "appeared"
    which, n = _nth_of(nth)
    return Anchor(VEHICLES if cls == "vehicle" else (cls,), moment, which, COLOURS[colour] if colour else (), side, n)


_PLACE_EVENT = {"entered": "zone_enter", "left": "zone_exit", "exited": "zone_exit", "crossed": "line_cross"}


def _placed_anchor(anchor: Anchor, verb: str | None, m: re.Match[str], text: str,
                   zones: tuple[str, ...]) -> tuple[Anchor, str] | None:
    """The anchor with the zone or line its verb names ("after the silver car entered lane_down": its entering of
    lane_down, not its first sighting, and lane_down is not the question's), and the text without both; None
    where a verb needs a place and has none ("after the car crossed")."""
    for zone in sorted(zones, key=len, reverse=True):
        said = r"(?:the\s+)?" + _name_re(zone) + r"(?:\s+(?:zone|area|region|lane|line)\b)?\s*,?\s*"
        if verb in _PLACE_EVENT and (z := re.match(said, text[m.end():])):
            return (replace(anchor, moment="event", place=zone, event=_PLACE_EVENT[verb]),
                    " ".join((text[:m.start()] + " " + text[m.end() + z.end():]).split()))
    return None if verb == "crossed" else (anchor, _cut(text, m))


def _anchored(text: str, zones: tuple[str, ...] = ()) -> tuple[Anchor | None, str]:
    """The moment the question is asked after or before ("after the first car left, ...", "... before the red
    car appeared"), or between two ("how many cars came between the red car and the last white car?", not a
    time between them: "how long between ..."), and the text without it. Only a class word, with an optional
    colour, names the entity."""
    if not re.match(r"how (?:long|much time|many (?:seconds|secs|minutes|mins))\b", text):
        for m in _BETWEEN_ANCHORS.finditer(text):
            one, other = _one_anchor(m, 1, "after"), _one_anchor(m, 5, "before")
            if one and other:
                return replace(one, side="between", until=other), _cut(text, m)
    for m in _ANCHOR.finditer(text):
        if not (m.group(5) or " the " in f" {m.group(0)}"):
            continue  # (without a verb, only "the ...": one object, when it appeared)
        if (anchor := _one_anchor(m, 2, "before" if m.group(1) == "before" else "after")) and (
                placed := _placed_anchor(replace(anchor, elided=not m.group(5)), m.group(5), m, text, zones)):
            return placed
    for m in _AT_ANCHOR.finditer(text):
        if (anchor := _one_anchor(m, 1, "after")) and (
                placed := _placed_anchor(replace(anchor, side="at"), m.group(4), m, text, zones)):
            return placed
    for m in _DURING.finditer(text):
        first, colour, word = (m.group(1), m.group(2), m.group(3)) if m.group(3) else (m.group(4), m.group(5),
                                                                                         m.group(6))
        if not (cls := CLASS_WORDS.get(word)) or (colour and colour not in COLOURS):
            continue
        which, n = _nth_of(first)
        return (Anchor(VEHICLES if cls == "vehicle" else (cls,), "appeared", which, COLOURS[colour] if colour else (),
                    "during", n), _cut(text, m))
    return None, text


def _anchor_alike(q: Question) -> Question:
    """"Other" of an anchor's class is read: the anchor is never counted. An anchor said without a verb is at the
    anchor's own event of the kind asked: "did the silver car leave before the red car?" is before the red car
    left, "did it cross midline before the red car?" before the red car crossed it (it was its first sighting: "No"
    of a car that left first). "How long after the red car left did ..." asks the time from the anchor's moment
    (``from_anchor``), not a time in view."""
    a = q.anchor
    if a is not None:  # "were there other cars in lane_up when the red car entered?": the anchor is never counted
        q = replace(q, unchecked=_unread_but(q, frozenset({"other", "others", "another", "else"})))
    if a is not None and a.side in ("before", "after") and re.match(
            r"how (?:long|much time|soon|many (?:seconds|secs|minutes|mins)) (?:after|before)\b", q.text.lower()):
        # the time from its moment, not a time in view; "the next car": the first after it
        q = replace(q, from_anchor=True, intent="duration", unchecked=_unread_but(q, frozenset({"soon", "next"})))
    if a is None or not a.elided or a.side not in ("before", "after"):
        return q
    if q.event_types and q.places and set(q.event_types) <= {"zone_enter", "zone_exit", "line_cross"}:
        return replace(q, anchor=replace(a, moment="event"))
    if q.moves == ("left",) and not q.places:
        return replace(q, anchor=replace(a, moment="left"))
    return q


def _number(text: str, together: bool = False) -> AtLeast | None:
    """A number before a noun: "two people" and "at least 2" mean 2 or more, "more than 10" 11 or more; "one at a
    time" (``together``) means never more than one."""
    if m := re.search(_AT_LEAST, text):
        word, digits = m.group(1), m.group(2)
        n = int(digits) if digits.isdigit() else _NUMBER_WORDS[digits]
        if together and n == 1 and word is None:
            return AtLeast(1, at_most=True)
        if word in ("more than", "over"):
            return AtLeast(n + 1)
        if word in ("fewer than", "less than"):
            return AtLeast(n - 1, at_most=True)
        if word in ("at most", "no more than", "up to"):
            return AtLeast(n, at_most=True)
        if word in ("exactly", "precisely"):
            return AtLeast(n, exact=True)
        return AtLeast(n)
    return None


def _edges(text: str, moves: tuple[str, ...]) -> tuple[tuple[tuple[str, str], ...], bool]:
    """The edges named as where objects came in ("from the top") or, after a verb of entering or leaving, where
    they went ("left at the bottom", "entered through the left", "entered from the top and left at the bottom");
    "at the top" alone is a position. And whether each edge said after "at/through/by" was read (else its words
    stay, to be said unchecked)."""
    found = [("entry_edge", m.group(1)) for m in re.finditer(_FROM_EDGE, text)]
    by = list(re.finditer(_BY_EDGE, text))
    for m in by:  # the move of the verb nearest before it (the only move, when no verb comes before it)
        verbs = [(v.start(), move) for move, pattern in MOVES.items() if move in moves
                 for v in re.finditer(pattern, text[:m.start()])]
        move = max(verbs)[1] if verbs else moves[0] if len(moves) == 1 else None
        if move is None:
            return tuple(dict.fromkeys(found)), False
        found.append(next((key, m.group(1)) for key, made in MOVE_OF_EDGE.items() if made == move))
    return tuple(dict.fromkeys(found)), bool(by)


def _moving(text: str, intent: Intent, zone: str | None, still: bool,
            not_still: bool) -> Literal["moved", "never", "passed"] | None:
    """Whether the question asks for objects that moved ("how many cars were moving", "did anyone walk"), that
    never moved, or that went past: moved, then left the picture. Past a zone it is that zone's visit, which
    needs only moving; in "how often" questions the verb names the events (a crossing) instead. With standing
    still asked, only "parked and moving" (both) is also a movement."""
    if intent == "times" or not_still:
        return None
    if still:
        return "moved" if re.search(_BOTH_STILL, text) else None
    found = next((kind for kind, pattern in _MOVING.items() if re.search(pattern, text)), None)
    return "moved" if found == "passed" and zone else found  # type: ignore[return-value]


def _verbs_place(zone: str | None, intent: Intent, each_zone: bool) -> str | None:
    """The place the verbs are of: the zone named, or for "how often" split per zone ("how many times did people
    enter each zone?") the zones: entering them, as "... enter lane_1?" is, not coming into the picture (the
    worker's first sighting gave "0 times")."""
    return zone or ("each zone" if intent in ("times", "events") and each_zone else None)


def _event_types(text: str, zone: str | None, moves: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The events a "how often" question counts (its first verb's: leaving a zone is its exit, and entering or
    leaving with no zone named is coming into or going out of the picture), and the moves that filter them:
    only entering and leaving events are moves; with other events ("how many times did cars stop and leave?")
    a move is not read (it dropped every stop, "0 times") and its word stays unchecked."""
    types = dict(EVENT_VERBS).get(_first_verb(text) or "", ())
    if zone and types == ("exit", "zone_exit"):
        types = ("zone_exit",)
    elif zone and types == ("exit",):  # going past a zone or line: entering it or crossing it
        types = ("zone_enter", "line_cross")
    elif not zone and moves and types in (("zone_enter",), ("exit", "zone_exit")):
        types = tuple(kind for m in moves for kind, move in MOVE_OF_EVENT.items() if move == m)
    return types, (moves if any(t in MOVE_OF_EVENT for t in types) else ())


def _events_asked(text: str, zone: str | None, intent: Intent,
                  moves: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The events a "how often" question counts and its moves (:func:`_event_types`); of the other questions
    about objects, the zone events they ask for, by the first verb ("when did the first car leave lane_up?",
    "how many cars left lane_up?": its exits, not its entering; "when did cars cross the midline?")."""
    if intent in ("times", "events"):  # "list the crossings": those events
        return _event_types(text, zone, moves)
    types = _event_types(text, zone, ())[0] if zone and intent in ("first", "last", "when", "count", "exists",
                                                                    "which") else ()
    return (types if types and set(types) <= {"zone_enter", "zone_exit", "line_cross"} else ()), moves


def _first_verb(text: str) -> str | None:
    """The pattern of the first of ``EVENT_VERBS`` (in their order) that the text uses."""
    return next((pattern for pattern, _ in EVENT_VERBS if re.search(pattern, text)), None)


def _verbs_taken(text: str, intent: str, zone: str | None) -> list[str]:
    """The verbs something checks: "how often" counts its first verb's events (a second one is a move, taken
    with the moves, or stays unchecked: "how many times did a car cross midline and leave?" counted crossings and
    dropped 'leave'); elsewhere a verb is taken where something checks it: leaving a zone is its visit, leaving
    the picture is a move (taken with the moves); "stopped" is ``still``."""
    if intent in ("times", "events"):
        return [verb] if (verb := _first_verb(text)) else []
    return [pattern for pattern, types in EVENT_VERBS if _verb_checked(types, zone)]


def _verb_checked(types: tuple[str, ...], zone: str | None) -> bool:
    """Outside "how often", whether something checks a verb: at a zone or line, its visit (entering, leaving,
    crossing); without one, entering and leaving the picture (moves) and appearing. Stopping is read as
    ``still``; crossing with no line named ("crossed the road") and staying are not checked."""
    if types in (("stopped",), ("dwell",)):
        return False
    return bool(zone) or types not in (("line_cross",), ("exit", "zone_exit"))


def _leftover(text: str, taken: list[str]) -> tuple[str, ...]:
    """The words of ``text`` that no recogniser took and that are not fillers: conditions left unchecked."""
    for pattern in taken:
        text = re.sub(pattern, " ", text)
    # a number nothing read ("around 0:15", "in lane 7", "at 13 pm": with its am or pm, "1 m": with its unit) is
    # a condition too
    words = [w for w in (t.rstrip("-'") for t in re.findall(
        r"[a-z][a-z'-]*|(?:\d[\d:.]*\d|\d)(?:\s*(?:[ap]m|m|metres?|meters?)\b)?", text))
             if w not in FILLERS and w not in CLASS_WORDS]
    return tuple(dict.fromkeys(w for w in words if len(w) > 1 or w.isdigit()))


# staying, remaining, lingering: being there. "Did any car stay?" reads as standing still (a car that stays put),
# but "how long did the car stay?" and "which car stayed longest?" ask for the time in view ("stayed still" stays)
_STAY = (r"\b(?:stay(?:s|ed|ing)?|remain(?:s|ed|ing)?|linger(?:s|ed|ing)?|dwell(?:s|ed|ing)?|dwelt|"
         r"spen(?:d|ds|t|ding))\b(?!\s+still\b)")


def _moves(text: str) -> tuple[tuple[str, ...], bool, bool]:
    """Entering and leaving the picture, as asked; whether both are asked of each object ("came in and left")
    rather than either ("did anyone enter or leave?"); and whether each is asked for apart ("how many entered,
    and how many left?")."""
    found = {m: match for m, pattern in MOVES.items() if (match := re.search(pattern, text))}
    if len(found) < 2:
        return tuple(found), False, False
    first, second = sorted(found.values(), key=lambda match: match.start())
    between = text[first.end():second.start()]
    if re.search(r"\band (how many|how often|the number)\b", between):
        return tuple(found), False, True
    return tuple(found), bool(re.search(r"\band\b", between)) and not re.search(r"\bor\b", between), False


def _extreme(rest: str, intent: str) -> tuple[str | None, str | None]:
    """The extreme asked ("longest", "most", "least"; "busiest" is the most, "more" of the lanes or ways too) and
    what it is of: the directions, the zones, or the objects (None)."""
    word = next(iter(re.findall(_EXTREME, rest)), None)
    if not word and (intent == "extreme" or (intent == "times" and re.match(r"which (?:direction|way|lane|zone)\b",
                                                                          rest))):  # "which lane had more cars?"
        word = next(iter(re.findall(_MORE, rest)), None)
    extreme = {"fewest": "least", "busiest": "most", "quietest": "least", "more": "most", "fewer": "least",
               "less": "least", "busier": "most", "quieter": "least"}.get(word or "", word)
    most = extreme in ("most", "least")
    of = "stream" if most and asks_camera(rest) else "direction" if re.search(
        r"\b(direction|way)\b", rest) else "zone" if re.search(r"\b(lane|zone)\b", rest) and most else None
    return extreme, of


def _extreme_words(intent: str, extreme: str | None, together: bool, of: str | None) -> list[str]:
    """The words of the question's extreme, where an answer shape reads it: the longest/shortest of which, how
    long and when, the most or least of "which lane/direction", "most in view at once", the lane or way with the
    most events (:func:`_events_most_by`); "more" with the most of those ("which car was busiest?" is not read:
    none)."""
    if intent == "extreme" or (intent == "times" and extreme == "most" and of in ("direction", "zone")):
        return [_EXTREME, _MORE]
    return [_EXTREME] if together or (extreme in ("longest", "shortest") and intent in (
        "which", "duration", "when", "empty")) else []


def _window(text: str) -> tuple[TimeSpec, str]:
    """The time window and the text without its words. Bounds that exclude each other ("before 0:10 or after
    0:25": two windows) are not one window: none is read, and the words stay to be said unchecked."""
    time = parse_time(text)
    if time.t0 is not None and time.t1 is not None and time.t0 > time.t1:
        return TimeSpec(), text
    return time, strip_time(text)


# "moving or parked", "parked or not", "stationary or moving": either, so every object (no condition)
# (set against moving, "standing" is standing still: "was the person moving or standing?")
_EITHER_STILL = (rf"(?:{_STILL}|\bstanding)\s+or\s+(?:not\b|{_MOVING['moved']})|"
                 rf"{_MOVING['moved']}\s+or\s+(?:not\b|{_STILL}|standing\b)")


# "parked and moving", "stopped and then moved": both (an object that stood still and moved), not one of them
# ("stopped and then drove off" is leaving, a move of its own)
_BOTH_STILL = (rf"{_STILL}\s+and\s+(?:then\s+)?{_MOVING['moved']}(?!\s+(?:off|away|out)\b)|"
               rf"{_MOVING['moved']}\s+and\s+(?:then\s+)?{_STILL}")


def _stillness(rest: str, intent: str, lasting: Lasting | None) -> tuple[bool, bool, bool, str]:
    """Whether the objects must have stood still, must never have, whether a word of staying asks only for the
    time in view (a question of how long, of the longest or shortest, or with a duration: ``lasting``), and the
    text without "parked or moving" (either: no condition)."""
    rest = " ".join(re.sub(_EITHER_STILL, " ", rest).split())
    not_still = bool(re.search(_NOT_STILL, rest)) and intent != "times"
    still = bool(re.search(_STILL, rest)) and intent != "times" and not not_still
    timed = intent == "duration" or lasting is not None or re.search(r"\b(longest|shortest)\b", rest)
    if timed and re.search(_STAY, rest) and not _still_said(rest):
        return False, False, True, rest
    return still, not_still, False, rest


# "went up, then down": a second movement after the first (one direction is recorded; 'up' and 'down' alone are
# fillers, so without this the second would go unsaid)
_TURNED = r"\bthen (?:up|down)\b"
# "in the first 10 minutes of each hour": a window that recurs, not a split and not read (its words are fillers)
_RECURRING = r"\bof (?:each|every) (?:second|minute|hour|day|week|month)\b"
_ELIDED = r"\b(?:or|and) (up|down)\b(?! to)"  # the second of two directions under one verb


def _directions(text: str) -> tuple[tuple[str, ...], bool]:
    """The directions named, in the order said, and whether two were joined by "and" ("how many went up and how
    many went down": a count for each; "up or down": either)."""
    found = [(m.start(), m.end(), d) for pattern, d in DIRECTIONS.items() for m in re.finditer(pattern, text)]
    if any(d in ("bottom_to_top", "top_to_bottom") for _, _, d in found):  # "went up or down": one verb for both
        found += [(m.start(1), m.end(1), "bottom_to_top" if m.group(1) == "up" else "top_to_bottom")
                  for m in re.finditer(_ELIDED, text)]
    return tuple(dict.fromkeys(d for _, _, d in sorted(found))), _each(text, found)


def _each(text: str, spans: list[tuple[int, int, str]]) -> bool:
    """Whether two different things named (their spans in the text) were joined by "and": "how many went up and
    how many went down" asks for each, "up or down" for either."""
    ordered = sorted(spans)
    return any(a[2] != b[2] and bool(re.search(r"\band\b", text[a[1]:b[0]])) for a, b in itertools.pairwise(ordered))


def _per(said: Modifiers, intent: Intent, each: tuple[bool, bool, bool]) -> Per | None:
    """The split a count asks for: said ("per hour"), or two directions, zones or moves asked for apart (``each``,
    in that order: "how many went up and how many went down")."""
    if said.per and _per_read(said.per, intent):
        return said.per
    if intent != "count":
        return None
    splits: tuple[Per, Per, Per] = ("direction", "zone", "move")
    return next((per for per, asked in zip(splits, each, strict=True) if asked), None)


# "how long between cars?", "the average time between consecutive trucks" (not "between the red car and ...")
_HEADWAY = re.compile(r"\bbetween (?:(?:consecutive|successive|each|two|the) )*(?:[a-z]+ )?([a-z]+)\b(?! and\b)")
_HEADWAY_WORDS = frozenset({"between", "consecutive", "successive", "each", "two", "interval", "intervals",
                            "headway", "headways", "spacing"})


# the words left unread when a question asks of objects that entered none of the zones
_OUTSIDE_NOT = frozenset({"not", "never", "neither", "nor", "outside", "none", "without"})
# how fast: nothing here measures it (said with the words left unchecked)
SPEED_WORDS = frozenset("speed speeds speeding sped fast faster fastest slow slower slowest quick quicker quickest "
                        "quickly slowly km kph kmh mph".split())
# which way an object turned: nothing here measures its heading (said with the words left unchecked)
TURN_WORDS = frozenset("turn turns turned turning u-turn u-turns straight".split())
PLACE_WORDS = frozenset({"lane", "lanes", "zone", "zones", "area", "areas", "region", "regions"})  # (not lines)
# "both lane_up and lane_down" (the names themselves are out of the text; "all of": "in all" is a total)
_ALL_PLACES = r"\bboth\b"


_EMPTY_WORDS = frozenset({"empty", "vacant", "unoccupied", "deserted", "clear", "free"})
_NONE_WORDS = frozenset({"no", "nobody", "none", "nothing"})


def _empty_place(q: Question) -> Question:
    """"Was lane_up empty at 0:10?", "were there no cars at 0:10?", "did no car use lane_up?": whether nothing (of
    the class) was there in the window, the other side of "was anything there?" ('empty', 'no' were left unchecked
    and the "No: no objects" to the rest read as the answer, though it was empty). "Ever empty" asks for a
    stretch, the empty intent. ("No one": the 'one' with it goes too.)"""
    said, text = set(q.unchecked), q.text.lower()
    if q.intent == "empty" and re.match(r"(?:was|were|is|are|has|had|did)\b", text):  # "was lane_up ever empty?"
        never = bool(re.search(r"\bnever\b", text))  # "was lane_up never empty?": the other way round
        return replace(q, empty_asked="never" if never else "ever", unchecked=tuple(w for w in q.unchecked
                                                                                    if w != "never"))
    if q.intent == "exists" and q.places and "occupied" in said:  # "was lane_up ever occupied?": anything there
        q = replace(q, unchecked=tuple(w for w in q.unchecked if w != "occupied"))
    empty = said & _EMPTY_WORDS if q.places else set()
    # one thing asked, negated ("was there a car and no person?" is two: 'no person' stays unchecked)
    none = said & _NONE_WORDS if re.match(r"(?:was|were|is|are|did|does|do|has|had)\b", text) and not re.search(
        r"\b(?:and|or|but|with)\b", text) else set()
    if q.intent != "exists" or not (empty or none):
        return q
    # "empty the whole time", "always empty", "empty throughout": empty is over the whole window already
    words = empty | none | ({"one"} if "no" in none else set()) | {"always"}
    return replace(q, empty_asked="none" if none else "place", present=None if q.present == "whole" else q.present,
                   unchecked=tuple(w for w in q.unchecked if w not in words))


def _asked_of(q: Question, nth: tuple[Nth, ...], whole: Question | None, rest: str) -> Question:
    """The question with what it is asked of: the n-th objects named, the whole a share is of (in the question's
    window and streams), whether against a zone's set way ("the wrong way"), whether changing zones ("lanes"),
    whether the stretches with something there are asked ("when was lane_up occupied?"), whether each camera is
    asked apart ("in every camera": counts and yes/no questions; lists name each one's camera already, the others
    say it unchecked), whether outside the zones ("did any car not use a lane?": the words left are only those),
    and the readings below (in each place, zones compared, the time between objects, an anchor like the question)."""
    readings: tuple[Callable[[Question], Question], ...] = (
        partial(_in_each_place, rest=rest), _again, _most_often, _line_sides_compared, _zones_compared, _events_most_by,
        _times_compared,
        partial(_between_each, nth=nth, rest=rest), partial(_event_log, nth=nth), _anchor_alike, _empty_place)
    for reading in readings:  # in this order: each reads the question as the ones before left it
        q = reading(q)
    each_camera = re.search(_EACH_CAMERA, q.text.lower())
    left = set(q.unchecked)  # "not use a lane", "never entered lane_up", "outside the dock": what is left is those
    outside = (q.intent in ("count", "exists", "which") and q.negated is None and bool(left & _OUTSIDE_NOT) and
               bool(q.places or left & PLACE_WORDS) and left <= _OUTSIDE_NOT | PLACE_WORDS) or (
        # "how long was the person outside the walkway?": time in view less the time inside the zones named
        q.intent == "duration" and bool(q.places) and bool(left & _OUTSIDE_NOT) and left <= _OUTSIDE_NOT and not (
            q.still or q.extreme or q.average or q.together or q.headway))
    unread = (each_camera.group(0).strip(),) if each_camera and q.intent not in ("count", "exists", "which",
                                                                                   "when", "empty") else ()
    if outside and q.intent != "duration":
        q = _said_without_not(q)
    return replace(q, nth=nth, wrong_way=bool(re.search(_WRONG_WAY, rest)),
                   occupied=q.intent == "empty" and bool(re.search(_OCCUPIED, rest)),
                   changed_zone=bool(re.search(_LANE_CHANGE, rest)),
                   share_of=whole and replace(whole, time=q.time, streams=q.streams or whole.streams),
                   each_stream=q.intent in ("count", "exists") and bool(each_camera), outside=outside,
                   unchecked=(() if outside else q.unchecked) + unread)


# a negation ("never crossed midline", "not in lane_up", "neither ... nor", "outside the dock") and what ends its
# clause ("in lane_down but never crossed midline": 'but' starts one)
_NOT = re.compile(rf"\b(?:{'|'.join(sorted(_OUTSIDE_NOT | {'no'}))})\b|n't\b")  # (the words outside reads, and "no")
_CLAUSE_END = re.compile(r"\bbut\b|[,;]|(?=\bwithout\b)")  # ("use lane_down without crossing midline")


def _said_without_not(q: Question) -> Question:
    """Of a question about objects outside places: the places said in a clause without a negation are where the
    objects were ("cars in lane_down but never crossed midline", "which cars crossed midline but were never in
    lane_down?"); the others stay the places they were outside of."""
    clauses = _CLAUSE_END.split(q.text.lower())
    negated = {z: {bool(_NOT.search(c)) for c in clauses if re.search(_name_re(z), c)} for z in q.places}
    positive = tuple(z for z in q.places if negated[z] == {False})
    if not positive or len(positive) == len(q.places):
        return q
    return replace(q, zone=None, zones=tuple(z for z in q.places if z not in positive), within=positive)


def _unread_but(q: Question, read: frozenset[str]) -> tuple[str, ...]:
    """The question's unchecked phrases without those made only of words a reading took."""
    return tuple(u for u in q.unchecked if set(u.split()) - read)


def _in_each_place(q: Question, rest: str) -> Question:
    """Whether in each of the places named: "how many cars used both lane_up and lane_down?"; "did any car use
    lane_up and lane_down?", of one object (not "were there cars in lane_up and lane_down?": each zone apart; not
    "enter lane_up and leave lane_down": leaving is not read so)."""
    leaving = bool(set(q.event_types) - {"zone_enter", "line_cross"} or re.search(
        r"\b(?:leave|leaves|leaving|left|exit(?:s|ed|ing)?)\b", re.sub("|".join(DIRECTIONS), " ", rest)))
    a, b = (_name_re(z) for z in q.zones) if len(q.zones) == 2 else ("", "")
    if a and not leaving and re.search(rf"\bfrom\b.*{a}.*\b(?:to|into|towards?|then)\b.*{b}|{a}.*\bthen\b.*{b}",
                                       q.text.lower()):  # "from the walkway to the dock", "lane_1 then lane_2"
        return replace(q, every_place=True, in_order=True, each_of=None, per=None if q.per == "zone" else q.per)
    if len(q.zones) > 1 and not leaving and (
            (q.intent == "exists" and q.each_of == "zone" and one_subject(q.text)) or
            (q.intent in ("count", "which") and bool(re.search(_ALL_PLACES, rest)))):
        return replace(q, every_place=True, each_of=None, per=None if q.per == "zone" else q.per)
    return q


_SPENT = frozenset("spend spends spent spending stay stays stayed staying remain remained".split())
_MORE_WORDS = frozenset({"more", "fewer", "less", "busier", "quieter"})


def _zones_compared(q: Question) -> Question:
    """Two zones compared ("were there more cars in lane_up than in lane_down?", "was lane_up busier than
    lane_down?"): the first named against the other; and whether by how many ("how many more ... than ...?")."""
    a, b = (_name_re(z) for z in q.zones) if len(q.zones) == 2 else ("", "")
    if a and q.intent in ("exists", "compare") and (m := re.search(
            rf"{a}.*\b(more|fewer|less|busier|quieter)\b.*\bthan\b.*{b}|\b(more|fewer|less)\b.*{a}.*\bthan\b.*{b}",
            q.text.lower())):
        q = replace(q, intent="compare", zone=q.zones[0], zones=(), than_side=Side(zone=q.zones[1]), each_of=None,
                    fewer=(m.group(1) or m.group(2)) in ("fewer", "less", "quieter"),
                    unchecked=_unread_but(q, _MORE_WORDS))
    return replace(q, by_how_many=q.intent == "compare" and bool(re.match(r"how many (?:more|fewer|less)\b",
                                                                           q.text.lower())))


_AGAIN = r"\b(?:twice|more than once|(?:several|multiple|many|repeated) times|repeatedly|again)\b"
_AGAIN_WORDS = frozenset("twice more than once several multiple many repeated times repeatedly again".split())


def _again(q: Question) -> Question:
    """Whether objects visiting the places named are asked to have done so more than once ("did any car enter
    lane_up twice?", "how many cars crossed midline more than once?"): at least two entries or crossings."""
    if q.places and q.intent in ("count", "exists", "which", "when") and re.search(_AGAIN, q.text.lower()) and not (
            set(q.event_types) - {"zone_enter", "line_cross"}):
        return replace(q, again=True, unchecked=_unread_but(q, _AGAIN_WORDS))
    return q


_OFTEN_WORDS = frozenset("most least fewest times often the".split())


def _most_often(q: Question) -> Question:
    """"Which car crossed midline the most times?", "who entered restricted most often?": the objects with the most
    (or fewest) entries or crossings of the places named (``Question.often``)."""
    if q.places and q.intent == "which" and q.extreme in ("most", "least", "fewest") and q.event_types and not (
            set(q.event_types) - {"zone_enter", "line_cross"}) and not q.again:
        return replace(q, often="most" if q.extreme == "most" else "fewest", unchecked=_unread_but(q, _OFTEN_WORDS))
    return q


_SIDES_COMPARED = re.compile(r"\b(more|fewer|less)\b(.*?)\bthan\s+(?:(?:going|heading|crossing|crossings|ones)\s+)?"
                             r"(in|out)(?:bound|wards?)?\b")
# the first side, before "than": "more crossings in", "fewer outbound crossings", "going in"
_FIRST_SIDE = re.compile(r"\b(?:(in|out)(?:bound|wards?)\b|(in|out)(?=\s*$|\s+cross))")
_SIDE_WORDS = frozenset("more fewer less in out inbound outbound inwards outwards going crossing crossings crossed "
                        "cross crosses".split())


def _line_sides_compared(q: Question) -> Question:
    """The two sides of a counting line compared ("were there more crossings in than out?", "did more cars cross
    midline going in than going out?"): its crossings to one side against the other's, counted as events where
    they are named as such ("crossings"), else as the objects that crossed."""
    text = q.text.lower()
    m = _SIDES_COMPARED.search(text) if re.search(r"\bcross", text) else None
    if not m or q.intent not in ("open", "exists", "compare", "count") or q.than or q.than_side:
        return q
    sides = [a or b for a, b in _FIRST_SIDE.findall(m.group(2).strip())]
    first, second = (sides[-1] if sides else None), m.group(3)
    if first is None or first == second:
        return q
    events = bool(re.search(EVENT_NOUN, text))
    return replace(q, intent="compare", event_types=("line_cross",), line_side=first,
                   than_side=Side(line_side=second), of_events=events,  # type: ignore[arg-type]
                   fewer=m.group(1) != "more", unchecked=_unread_but(q, _SIDE_WORDS))


def _events_most_by(q: Question) -> Question:
    """"Which direction had the most crossings?", "which lane had the fewest stops?": those events counted per
    direction (or lane), the busiest said first. The fewest is not read: events are split over the ways and lanes
    they happened in, and one where none happened would not be among them."""
    if q.intent == "times" and not q.per and q.extreme == "most" and q.extreme_of in ("direction", "zone"):
        return replace(q, per=q.extreme_of)
    return q


def _times_compared(q: Question) -> Question:
    """Times compared ("was the red car in view longer than the silver car?", "how much longer ...?", "did it spend
    more time in lane_up than ...?"): ``longer``, staying not standing still unless said; where no other side was
    read, the word said stays unchecked (not the 'more' it was read through)."""
    text = q.text.lower()
    if not re.search(rf"\b(?:longer|shorter|(?:more|less) time)\b.*\b{_THAN_OBJECT}", text):
        return q
    if q.intent != "compare":
        said = {"more": "longer", "less": "shorter"}
        return replace(q, unchecked=tuple(said.get(u, u) if re.search(rf"\b{said.get(u, u)}\b", text) else u
                                          for u in q.unchecked))
    still = q.still and bool(re.search(r"\b(?:park|stop|stationary|still|idle|standing)", text))
    return replace(q, longer=True, still=still, unchecked=_unread_but(q, _SPENT),
                   by_how_many=bool(re.match(r"how much (?:longer|shorter|more time|less time)\b", text)))


def _event_log(q: Question, nth: tuple[Nth, ...]) -> Question:
    """Of an event log ("list all events"), whether the first or last event is asked ("what happened first?");
    one of particular objects ("the events of the red car") is their story."""
    if q.intent != "events":
        return q
    acts = (q.still or q.not_still or q.moving or q.moves) and not q.event_types  # "show all stops": the events
    if nth or q.colour_words or q.ways or acts or q.edges or q.present or q.lasting or q.approach:
        return replace(q, intent="story")
    end = re.search(rf"\bhappened (first|last)\b|\bthe (first|last|latest) (?:[a-z_()-]+ ){{0,2}}?(?:event|thing|"
                    rf"{_AN_EVENT})", q.text.lower())
    return replace(q, event_end=None if end is None else "first" if "first" in end.groups() else "last")


def _between_each(q: Question, nth: tuple[Nth, ...], rest: str) -> Question:
    """Whether the time between objects of a class is asked ("how long between cars?"): from one's coming to the
    next one's, of those that came in the window asked (an arrival)."""
    if q.intent == "duration" and q.classes and not nth and (m := _HEADWAY.search(rest)) and (
            m.group(1) in CLASS_WORDS or m.group(1) in KIND_WORDS):
        return replace(q, headway=True, arrival=True,
                       unchecked=_unread_but(q, _HEADWAY_WORDS))
    return q


def _share(text: str, zones: tuple[str, ...], streams: dict[str, str] | None) -> tuple[str, Question | None]:
    """A share asked ("what fraction of cars in lane_up went up?"): the question as the count of the part ("how
    many of cars in lane_up went up"), and the whole: the objects after "of", with a place said of them."""
    if not (m := _SHARE.match(text)):
        return text, None
    if (of_time := re.match(r"(?:the )?time\b(.*)$", text[m.end():])) and re.search(f"{_EMPTY}|{_OCCUPIED}",
                                                                                      of_time.group(1)):
        return f"when{of_time.group(1)}", None  # "of the time was lane_up empty": when, which says its share
    if (present := _TIME_PRESENT.fullmatch(text[m.end():])) and _SHARE_OF.search(present.group(1)):
        return f"when was the picture occupied by {present.group(1)}", None
    subject = _SHARE_OF.match(text[m.end():]) or re.match(  # "of crossings were inbound": of events
        rf"(?:(?:all )?(?:of )?the )?(?:[a-z_-]+ )?{EVENT_NOUN}\b", text[m.end():])
    if subject is None:  # "what percentage of the time": not of objects
        return text, None
    return f"how many of {text[m.end():]}", parse_question(f"how many {subject.group(0)}", zones, streams)


# the words an intent reads by being that intent ("near" its distance: one measured between a person and a
# vehicle only)
_INTENT_WORDS: dict[str, tuple[str, ...]] = {
    "near": (r"\b(near|close|proximity|next)\b", rf"\bwithin\s+\d+(\.\d+)?\s*{LENGTH_UNIT}\b",
             rf"\b\d+(\.\d+)?\s*{LENGTH_UNIT}\b"),
    "empty": (_EMPTY, _OCCUPIED, r"\bin view\b", _GAP_WORDS),
    "story": (r"\b(describe|doing|gone)\b",),
    "events": (_EVENT_LOG_WORDS,),
    "duration": (r"\bvisits?\b",),  # "how long was the shortest visit?": a time in view (or at the place named)
}


# "which came first, the red car or the silver car?", "which car crossed midline first, the red or the silver?":
# the first of those named ("which red car or silver car came first")
_WHICH_OF = re.compile(r"^(which|who)((?: [a-z]+)??)( .*\b(?:first|last|earliest|latest)),? "
                       r"(?:the )?([a-z][a-z ]*?) or (?:the )?([a-z][\w -]*)$")


# "longer than the silver car", "how much longer ... than": more time than another object (compared as counts are,
# ``Question.longer``); not "longer than a minute": a time
_THAN_OBJECT = r"than (?=(?:the|a|an|any) (?!(?:seconds?|minutes?|hours?|days?|while)\b))"
_LONGER = ((r"^how much (longer|shorter)\b", lambda m: f"how many {'more' if m[1] == 'longer' else 'less'} time"),
           (rf"\b(longer|shorter)((?: [a-z_]+){{0,4}}? ){_THAN_OBJECT}",
            lambda m: f"{'more' if m[1] == 'longer' else 'less'} time{m[2]}than "))


def _normalised(text: str) -> str:
    """Words made one ("car park", "each other") and a choice between objects said after the question made its
    subject."""
    for place, word in (*_PLACES, *_RELATIONS, *_LONGER, (r"\bno one\b", "nobody")):  # "no one": a person
        text = re.sub(place, word, text)
    if (m := _WHICH_OF.match(text)) and (objects := [m.group(4), m.group(5)]):
        noun = m.group(2).strip()
        named = [o if any(w in CLASS_WORDS or w in KIND_WORDS for w in o.split()) else f"{o} {noun}".strip()
                 for o in objects]
        text = f"{m.group(1)} {named[0]} or {named[1]}{m.group(3)}"
    return text


def _metres(text: str) -> float | None:
    """The gap a "near" question names ("within 2 m", "5 feet"), in metres."""
    metres = re.search(rf"\b(\d+(?:\.\d+)?)\s*({LENGTH_UNIT})\b", text)
    return in_metres(*metres.groups()) if metres else None


def parse_question(question: str, zones: tuple[str, ...] = (), streams: dict[str, str] | None = None) -> Question:
    """``streams`` maps a name people use (file name, stem, id) to a stream id."""
    text, whole = _share(in_numbers(" ".join(question.lower().replace("?", " ").split())), zones, streams)
    anchor, text = _anchored(_at_once(_normalised(text), zones), zones)
    text, nth = _nth_subject(text)
    stream_names, named_streams = _streams_named(text, streams or {})
    places, each_zone, text = _places(text, zones, stream_names)
    zone = places[0] if places else None  # for what a zone changes in reading the rest (any one will do)
    unknown = next((m.group(1) for m in _STREAMISH.finditer(text)), None)
    text = text.replace(unknown, " ") if unknown else text
    directions, each_way = _directions(text)
    direction = directions[0] if len(directions) == 1 else None
    text, second = _one_question(text, each_way or each_zone)
    said, text = _modifiers(text)
    time, rest = _window(text)
    present = _present(rest, time)
    # "was there a car in the first frame" asks about that frame, not for the first car
    rest = " ".join(re.sub(_PRESENT[present], " ", rest).split()) if present else rest
    intent = _ordered(_intent(rest), said)
    classes, related, rest = _objects(rest, intent)
    intent, than, fewer, side = _compared(rest, classes, intent)
    colour_words, colours, elsewhere, rest = _object_colours(rest, side.colours if side else ())
    # "which red or silver car came first?": its colour is the answer too
    colour_asked = bool(re.search(_COLOUR_ASKED, rest) or (intent in ("first", "last") and (
        len(colour_words) > 1 or re.match(r"which\b", rest))))  # "which car left first?": which one, by its colour
    still, not_still, staying, rest = _stillness(rest, intent, said.lasting)
    undirected = re.sub("|".join(DIRECTIONS), " ", rest)  # "left to right" is a direction, not leaving
    moving = _moving(undirected, intent, zone, still, not_still)
    if moving == "moved" and directions:  # a direction is already a movement
        moving = None
    at_place = _verbs_place(zone, intent, each_zone or said.per == "zone")
    moves, moves_both, each_move = _moves(undirected) if not at_place else ((), False, False)
    event_types, moves = _events_asked(undirected, at_place, intent, moves)
    edges, by_edge = _edges(undirected, moves)  # after the moves a "how often" question does not read are dropped
    crossed_to = re.search(_LINE_SIDE, rest) if "line_cross" in event_types else None
    negated, rest = _negated(rest, colour_words, direction, moves, edges) if intent != "times" else _negated(
        rest, colour_words, None, (), ())  # how often: of objects not of a colour ("cars that were not white")
    together = bool(re.search(_TOGETHER, rest))
    extreme, extreme_of = _extreme(rest, intent)
    number = _number(rest, together) if (together or intent == "exists") else None
    every = intent == "exists" and bool(re.search(r"\b(all|every|each)\b(?!-)", rest)) and bool(
        directions or colours or still or not_still or moving or moves or present or edges or said.lasting)
    if intent == "times" and not event_types:
        intent = "open"
    if event_types == ("exit",) and not moves and not zone:  # "how many times did a car pass": exits out of view
        moves, moving = ("left",), "passed"
    taken = [r"\b(how many times|how often|how many|how long|number of times|number of|when|which|who|what)\b",
             _COMMAND, *DIRECTIONS, *([_ELIDED] if len(directions) > 1 else []), *([_NOT_STILL] if not_still else []),
             *([_STILL] if still else [_STAY] if staying else []), *([_AT_LEAST] if number else []), _TOGETHER,
             *_extreme_words(intent, extreme, together or bool(said.per), extreme_of),
             r"\bor more\b", _WRONG_WAY, _LANE_CHANGE, r"\b(direction|way)\b", _DISTINCT, *_APPROACH.values(),
             *([_COMPARE_WORDS] if than or side else []), *_verbs_taken(rest, intent, zone),
             *(MOVES[m] for m in moves), *([_FROM_EDGE] if edges else []), *(_MOVING.values() if moving else ()),
             *([_BY_EDGE] if by_edge else []), *([_IN_ORDER] if intent in ("which", "count") else []),
             *([_BY_TYPE] if intent == "count" and len(classes) > 1 else []), *([_LINE_SIDE] if crossed_to else []),
             r"\b(first|last|latest|final)\b", *_INTENT_WORDS.get(intent, ()),
             *([r"\b(all|every|each)\b(?!-)"] if every else []), *([_ALL_PLACES] if len(places) > 1 else []),
             *(rf"\b{w}\b" for w in COLOURS), *([r"\bcolou?r(ed|s)?\b"] if colours or colour_asked else []),
             *([_WEARING] if (colours or colour_asked) and "person" in classes else [])]
    if extreme_of == "zone" and not said.per:  # "which lane had the most cars per minute": not both
        taken.append(r"\b(lanes?|zones?)\b")
    unchecked = _phrases(_leftover(rest, taken) + related + elsewhere + _unread(said, intent, time, rest))
    splits = _splits(said, intent, (each_way, each_zone, each_move))
    q = Question(question, intent, classes=classes, direction=direction, time=time, zone=zone if len(places) == 1
                 else None, zones=tuple(places) if len(places) > 1 else (), streams=named_streams,
                 event_types=event_types, line_side=next(g for g in crossed_to.groups() if g) if crossed_to else None,  # type: ignore
                 anchor=anchor, colours=colours, colour_words=colour_words, moves=moves,
                 present=present, edges=edges, still=still, not_still=not_still, moves_both=moves_both,  # type: ignore
                 moving=moving, together=together, every=every, approach=_which(_APPROACH, rest),
                 each_of=_each_of(classes, colour_words, rest, intent, (each_zone, each_way)),
                 distinct=_said(_DISTINCT, rest), arrival=intent in _ARRIVING and bool(re.search(_ARRIVE, rest)),
                 number=number, extreme=extreme, extreme_of=extreme_of,  # type: ignore[arg-type]
                 unchecked=unchecked, unknown_stream=unknown,
                 distance_m=_metres(rest) if intent == "near" else None,
                 than=than, fewer=fewer, colour_asked=colour_asked, negated=negated, than_side=side,
                 per=splits[0], per_size=splits[1], then_per=splits[2], then_size=splits[3], average=said.average,
                 lasting=said.lasting, gaps=intent == "empty" and bool(re.search(_BETWEEN_OBJECTS, rest)),
                 ordinal=_nth(said, intent), directions=directions if len(directions) > 1 else (),
                 second=second)
    return _asked_of(q if _has_subject(q, places, rest) else replace(q, intent="open"), nth, whole, rest)


_A_STAY = r"\b(?:stops?|dwells?|stays?|visits?|waits?)\b"  # "how long was the longest stop?": of any object


def _has_subject(q: Question, places: list[str], rest: str) -> bool:
    """Whether the question names what it asks of: an object, or a split ("per lane"); a place or a change of
    lanes is asked of anything ("did anything enter lane_1?"), and so is "what" doing something ("what was
    parked?"), and so is how long a stop or visit was ("how long was the longest stop?"). Near, open, extreme and
    empty questions need none."""
    return q.intent in ("near", "open", "extreme", "empty", "events") or bool(q.classes or q.per or places or (
        q.intent == "duration" and re.search(_A_STAY, q.text.lower())) or (
        q.intent == "which" and re.match(_WHAT_DID, q.text.lower().strip())) or re.search(
        _LANE_CHANGE, rest) or (q.intent == "times" and re.search(_EVENT_NOUNS, rest)) or (
            q.intent == "times" and q.extreme_of in ("direction", "zone") and re.search(rf"\b{EVENT_NOUN}\b", rest)))
