"""Russian text handling shared by the backends that have no Russian analyser of their own.

Words are stemmed with the Snowball stemmers (Russian for Cyrillic words, English for Latin ones):
the algorithm PostgreSQL's ``russian`` configuration uses, so SQLite finds the same word forms.
"""

import html
import re
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
MAX_QUERY_LENGTH = 500
MAX_QUERY_WORDS = 32

_russian = snowballstemmer.stemmer("russian")
_english = snowballstemmer.stemmer("english")


def words(text):
    """Lower-case words of a text, «ё» read as «е»."""
    return [word.lower().replace("ё", "е") for word in WORD.findall(text or "")]


@lru_cache(maxsize=50_000)
def stem(word):
    stemmer = _russian if CYRILLIC.search(word) else _english
    return stemmer.stemWord(word)


def stems(text):
    return [stem(word) for word in words(text)]


def normalise_query(query):
    """What a search box may send, made safe: trimmed, bounded, and without control characters."""
    query = "".join(character for character in (query or "") if character.isprintable())
    return " ".join(query.split())[:MAX_QUERY_LENGTH]


def query_stems(query):
    """Distinct stems of a query, in order, at most MAX_QUERY_WORDS of them."""
    seen = []
    for item in stems(normalise_query(query)):
        if item not in seen:
            seen.append(item)
    return seen[:MAX_QUERY_WORDS]


def highlight(text, wanted_stems, length=240):
    """An HTML-escaped passage of ``text`` around the first matching word, matches wrapped in <mark>.

    Used by the database backends for every field, so highlights look the same on SQLite and PostgreSQL.
    """
    text = " ".join((text or "").split())
    if not text:
        return ""
    wanted = set(wanted_stems)
    matches = [match for match in WORD.finditer(text) if stem(match.group().lower().replace("ё", "е")) in wanted]
    start = 0
    if matches:
        start = max(0, matches[0].start() - length // 3)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < matches[0].start() else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    pieces, cursor = [], start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        pieces.append(html.escape(text[cursor : match.start()]))
        pieces.append(f"<mark>{html.escape(match.group())}</mark>")
        cursor = match.end()
    pieces.append(html.escape(text[cursor:end]))
    return ("… " if start else "") + "".join(pieces) + (" …" if end < len(text) else "")
