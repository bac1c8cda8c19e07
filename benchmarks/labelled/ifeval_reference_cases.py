"""The responses of the IFEval reference set and the kwargs of their instructions (see ifeval_reference.py).

Deterministic: one `random.Random(seed)` drives every choice, and the texts come from the corpus
below (not from the running Python's docstrings), so the same seed gives the same records anywhere.

Each instruction id has a designer that returns (response, kwargs-maker) pairs: clear passes, clear
failures, boundary cases (a count exactly N, N-1, N+1 against both relations) and cases that only the
loose variants follow (a preamble or sign-off line, '*' markup). A kwargs-maker gets the response's
counts as the OFFICIAL code makes them (sentences, words, all-capital words; see the worker), so the
boundaries sit where IFEval puts them, not where our scorer does. Every response also carries two more
instructions with kwargs chosen around its own counts (`secondary`; not the langdetect ones).

Kwargs are never 0 or empty: lm-eval drops falsy kwargs and would then draw a random value.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable

Counts = dict[str, int]  # sentences, words, capitals: from the official code
KwMaker = Callable[[Counts], dict]
Design = tuple[str, KwMaker]
RELATIONS = ("less than", "at least")

EN = [
    "The library opens at nine in the morning and closes at six.",
    "Dr. Smith reviewed the results before the meeting.",
    "Most users never change the default settings.",
    "The API returns a JSON object with two fields.",
    "Water boils at 100 degrees Celsius at sea level.",
    'She said the plan was "simple but risky."',
    "Prices rose by 3.5 percent over the last year.",
    "The U.S. team arrived in Paris on Monday.",
    "Why would anyone store passwords in plain text?",
    "This is, in short, a very bad idea!",
    "Backups should be tested, not just scheduled.",
    "NASA launched the probe in 1977, and it is still flying.",
    "Each function should do one thing and do it well.",
    "The report, which ran to 40 pages, was never read.",
    "Don't forget to close the file after writing to it.",
    "A cache trades memory for speed.",
    "The river floods every spring; the farmers plan for it.",
    "He bought apples, pears, and a loaf of bread.",
    "The meeting ended early because the projector failed.",
    "In 2019 the company moved its offices to Berlin.",
    "Errors should never pass silently.",
    "The results were better than expected, e.g. in the second trial.",
    "Mr. Brown's dog barked at the mail carrier again.",
    "Readability counts more than cleverness.",
    "The train was late... again.",
    "Use a virtual environment for each project.",
    "The CPU and the GPU share the same memory on this chip.",
    "Is it better to be fast or to be correct?",
    "Our team fixed 12 bugs and found 3 new ones.",
    "The museum is closed on public holidays.",
    "The word 'data' is often used as a singular noun.",
    "Gardens need water, sunlight, and patience.",
    "The contract ends on Dec. 31 unless it is renewed.",
    "Most birds migrate at night.",
    "Tests that cannot fail do not test anything.",
    "The old bridge was rebuilt in stone after the fire.",
    "We measured the latency at 250 ms under load.",
    "Always read the error message first!",
    "The recipe calls for two cups of flour and one egg.",
    "It rained all week (which nobody had predicted).",
    "I think the AWS bill doubled because of the new EU region.",
    "Wow!!! That was FAST.",
]

# (language code, text): two plain sentences each, enough for langdetect to be sure. Only codes of
# IFEval's language list (instructions_util.LANGUAGE_CODES): lm-eval raises KeyError on others.
FOREIGN = [
    ("fr", "Le marché ouvre tous les samedis sur la place du village. Les habitants y achètent des fruits, du pain et du fromage."),
    ("fr", "Il faut lire attentivement le message d'erreur avant de modifier le code. Ensuite, on peut chercher la cause du problème."),
    ("de", "Die Bibliothek ist montags geschlossen. Am Wochenende kommen viele Familien mit ihren Kindern."),
    ("de", "Bitte speichern Sie die Datei, bevor Sie das Programm beenden. Sonst gehen alle Änderungen verloren."),
    ("es", "El tren sale de la estación a las ocho de la mañana. Los viajeros compran café antes de subir."),
    ("es", "Las pruebas deben fallar cuando el código está roto. Si nunca fallan, no sirven para nada."),
    ("it", "La città è famosa per i suoi ponti e i suoi canali. Ogni estate arrivano migliaia di turisti."),
    ("pt", "O rio atravessa a cidade de norte a sul. Nas margens há jardins, cafés e muitas árvores antigas."),
    ("uk", "Бібліотека відкрита щодня, крім понеділка. Влітку в парку відбуваються концерти просто неба."),
    ("ru", "Библиотека открыта каждый день, кроме понедельника. Летом в парке проходят концерты под открытым небом."),
    ("ja", "図書館は月曜日を除いて毎日開いています。夏には公園で野外コンサートが開かれます。"),
    ("ko", "도서관은 월요일을 제외하고 매일 문을 엽니다. 여름에는 공원에서 야외 음악회가 열립니다."),
    ("ar", "المكتبة مفتوحة كل يوم ما عدا يوم الاثنين. في الصيف تقام الحفلات الموسيقية في الحديقة."),
    ("hi", "पुस्तकालय सोमवार को छोड़कर हर दिन खुला रहता है। गर्मियों में पार्क में संगीत कार्यक्रम होते हैं।"),
    ("vi", "Thư viện mở cửa hằng ngày trừ thứ Hai. Vào mùa hè, công viên tổ chức các buổi hòa nhạc ngoài trời."),
    ("pl", "Biblioteka jest otwarta codziennie oprócz poniedziałku. Latem w parku odbywają się koncerty."),
    ("he", "הספרייה פתוחה כל יום חוץ מיום שני. בקיץ מתקיימים קונצרטים בפארק."),
    ("fi", "Kirjasto on auki joka päivä paitsi maanantaina. Kesällä puistossa järjestetään konsertteja."),
]
PREAMBLES = ["Sure, here is my answer:", "Certainly! Here it is.", "Here you go:", "Of course. Below is the text, as requested."]
CLOSERS = ["Let me know if you need anything else!", "Hope this helps.", "Best wishes, Sam"]
WORDS = ["river", "cache", "garden", "museum", "bridge", "latency", "recipe", "contract", "projector", "sunlight"]
SPLITTERS = ("Section", "SECTION")
MARKERS = ("P.S.", "P.P.S")


def count_re(pattern: str, text: str) -> int:
    return len(re.findall(pattern, text, flags=re.IGNORECASE))  # as KeywordFrequencyChecker counts


class Gen:
    """The seeded source of every choice, with the shapes responses are built from."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def sentences(self, k: int) -> list[str]:
        return self.rng.sample(EN, k)

    def para(self, k: int = 3) -> str:
        return " ".join(self.sentences(k))

    def paras(self, n: int, sep: str = "\n\n", k: int = 2) -> str:
        return sep.join(self.para(k) for _ in range(n))

    def preamble(self) -> str:
        return self.rng.choice(PREAMBLES)

    def closer(self) -> str:
        return self.rng.choice(CLOSERS)

    def framed(self, body: str, i: int) -> str:
        """Body alone, after a preamble line, before a sign-off line, or both (by i % 4)."""
        if i % 4 in (1, 3):
            body = self.preamble() + "\n" + body
        if i % 4 in (2, 3):
            body = body + "\n" + self.closer()
        return body

    def bullets(self, n: int, marker: str = "*") -> str:
        return "\n".join(f"{marker} {s}" for s in self.sentences(n))


def _rel(i: int) -> str:
    return RELATIONS[(i // 3) % 2]


def _around(n: int, i: int) -> int:
    """N-1, N, N+1 in turn (never below 1)."""
    return max(1, n + (-1, 0, 1)[i % 3])


def _no_comma(text: str) -> str:
    return text.replace(",", "")


# --- designers: one per instruction id ------------------------------------------------------------


def d_existence(g: Gen) -> list[Design]:
    out: list[Design] = []
    for i in range(16):
        text = g.framed(g.para(3), i)
        words = re.findall(r"[A-Za-z]{5,}", text)
        present = g.rng.sample(words, 2)
        if i % 2:  # one keyword missing
            kw = [present[0], g.rng.choice([w for w in WORDS if not re.search(w, text, re.I)])]
        else:
            kw = [present[0].upper() if i % 4 == 0 else present[0], present[1]]  # case-insensitive
        out.append((text, lambda c, kw=kw: {"keywords": kw}))
    for _ in range(4):  # the keyword only appears once '*' is removed: loose only
        w = g.rng.choice(WORDS)
        text = g.para(2) + f" The {w[:3]}**{w[3:]}** is new."
        out.append((text, lambda c, w=w: {"keywords": [w]}))
    return out


def d_frequency(g: Gen) -> list[Design]:
    out: list[Design] = []
    for i in range(24):
        text = g.framed(g.para(4), i)
        kw = g.rng.choice(["the", "is", "in", "to", "at", "an"])
        n = count_re(kw, text)
        if n == 0:
            text, n = text + " It is what it is.", count_re(kw, text + " It is what it is.")
        out.append((text, lambda c, kw=kw, n=n, i=i: {"keyword": kw, "frequency": _around(n, i), "relation": _rel(i)}))
    return out


def d_forbidden(g: Gen) -> list[Design]:
    out: list[Design] = []
    for i in range(18):
        text = g.framed(g.para(3), i)
        words = re.findall(r"[A-Za-z]{4,}", text)
        if i % 3 == 0:  # a word of the text: used
            kw = [g.rng.choice(words).lower(), g.rng.choice(WORDS)]
        elif i % 3 == 1:  # absent words
            kw = [w for w in WORDS if not re.search(rf"\b{w}\b", text, re.I)][:2]
        else:  # only a prefix of a word of the text: not a whole word, not used
            w = g.rng.choice([w for w in words if len(w) >= 6])
            kw = [w[:-2].lower()]
        out.append((text, lambda c, kw=kw: {"forbidden_words": kw}))
    for _ in range(4):  # forbidden word only in the preamble line: loose only
        out.append(("Sure, here is my answer:\n" + g.para(2), lambda c: {"forbidden_words": ["sure"]}))
    return out


def d_letter(g: Gen) -> list[Design]:
    out: list[Design] = []
    for i in range(24):
        text = g.framed(g.para(2), i)
        letter = g.rng.choice("aeiostnrlz")
        n = text.lower().count(letter)
        if n == 0:
            text, n = text + " Zoom.", (text + " Zoom.").lower().count(letter)
        out.append((text, lambda c, lt=letter, n=n, i=i: {"letter": lt, "let_frequency": _around(n, i), "let_relation": _rel(i)}))
    return out


def d_language(g: Gen) -> list[Design]:
    out: list[Design] = []
    codes = sorted({c for c, _ in FOREIGN})
    for i, (code, text) in enumerate(FOREIGN):
        out.append((text, lambda c, code=code: {"language": code}))  # the right language
        if i % 2:  # the same text, another language asked for
            other = codes[(codes.index(code) + 1) % len(codes)]
            out.append((text, lambda c, o=other: {"language": o}))
    for i in range(12):  # English text: followed for "en" only
        text = g.framed(g.para(3), i)
        out.append((text, lambda c, i=i: {"language": "en" if i % 3 == 0 else ("fr", "de", "es", "it")[i % 4]}))
    for code, text in FOREIGN[:4]:  # an English preamble line before the foreign text
        out.append((g.preamble() + "\n" + text, lambda c, code=code: {"language": code}))
    return out


def d_sentences(g: Gen) -> list[Design]:
    out: list[Design] = []
    for i in range(24):
        text = g.framed(g.para(2 + i % 4), i)
        out.append((text, lambda c, i=i: {"num_sentences": _around(c["sentences"], i), "relation": _rel(i)}))
    return out


def d_paragraphs(g: Gen) -> list[Design]:
    out: list[Design] = []
    for i in range(18):
        n = 2 + i % 4
        sep = ("\n***\n", " *** ", "\n\n***\n\n")[i % 3]
        text = g.paras(n, sep)
        if i % 6 == 5:
            text = "***\n" + text + "\n***"  # empty first and last paragraphs are not counted
        out.append((text, lambda c, n=n, i=i: {"num_paragraphs": max(2, n + (-1, 0, 1)[i % 3])}))
    for i in range(5):  # an empty paragraph between two dividers: never followed
        text = g.para(2) + "\n***\n***\n" + g.para(2)
        out.append((text, lambda c, i=i: {"num_paragraphs": 2 + i % 2}))
    return out


def d_words(g: Gen) -> list[Design]:
    out: list[Design] = []
    for i in range(24):
        text = g.framed(g.para(1 + i % 4), i)
        out.append((text, lambda c, i=i: {"num_words": _around(c["words"], i), "relation": _rel(i)}))
    return out


def d_first_word(g: Gen) -> list[Design]:
    out: list[Design] = []
    for i in range(20):
        n = 2 + i % 3
        paras = [g.para(2) for _ in range(n)]
        nth = 1 + i % n
        if i % 5 == 4:
            paras[nth - 1] = '"' + paras[nth - 1]  # a leading quote is stripped
        text = "\n\n".join(paras)
        if i % 7 == 6:
            text = g.preamble() + "\n\n" + text  # an extra paragraph: loose may drop it
        first = re.match(r"[\"']*([^\s.,?!'\"]+)", paras[nth - 1]).group(1).lower()
        mode = i % 4  # 0, 1: as written; 2: wrong word; 3: wrong count
        word = first if mode in (0, 1) else g.rng.choice(WORDS)
        want = n + 1 if mode == 3 else n
        out.append((text, lambda c, n=want, nth=nth, w=word: {"num_paragraphs": n, "nth_paragraph": nth, "first_word": w}))
    return out


def d_placeholders(g: Gen) -> list[Design]:
    out: list[Design] = []
    names = ["[name]", "[address]", "[date]", "[company]", "[phone number]"]
    for i in range(24):
        k = 1 + i % 4
        words = g.para(2).split()
        for ph in g.rng.sample(names, k):
            words.insert(g.rng.randrange(len(words) + 1), ph)
        text = g.framed(" ".join(words), i)
        n = len(re.findall(r"\[.*?\]", text))
        out.append((text, lambda c, n=n, i=i: {"num_placeholders": max(1, n + (-1, 0, 1, 1)[i % 4])}))
    return out


def d_postscript(g: Gen) -> list[Design]:
    out: list[Design] = []
    # (line, marker) pairs: the first five per marker are followed, the others are not
    lines = {
        "P.S.": ["P.S. {s}", "p.s. {s}", "P. S. {s}", "P.P.S. {s}", "**P.S.** {s}", "PS: {s}", "P.S {s}", "Postscript: {s}"],
        "P.P.S": ["P.P.S {s}", "P.P.S. {s}", "p. p. s {s}", "P.P.Scriptum {s}", "**P.P.S** {s}", "P.S. {s}", "PPS {s}", "P.P. {s}"],
    }
    for i in range(32):
        marker = MARKERS[i % 2]
        line = lines[marker][(i // 2) % 8].format(s=g.rng.choice(EN))
        text = g.para(2) + "\n\n" + line
        if i % 5 == 4:
            text += "\n" + g.closer()
        out.append((text, lambda c, m=marker: {"postscript_marker": m}))
    return out


def d_bullets(g: Gen) -> list[Design]:
    out: list[Design] = []
    for i in range(28):
        n = 2 + i % 3
        text = g.bullets(n, "*-"[i % 2])
        if i % 6 == 2:
            text = "**Summary**\n" + text  # a bold line is not a bullet
        if i % 6 == 5:
            text = text + "\n---\nThat is all."  # a horizontal rule counts as a '-' line
            n += 1
        text = g.framed(text, i // 2)
        out.append((text, lambda c, n=n, i=i: {"num_bullets": max(1, n + (0, 0, -1, 1)[i % 4])}))
    return out


def d_constrained(g: Gen) -> list[Design]:
    out: list[Design] = []
    good = ["My answer is yes.", "My answer is no.", "My answer is maybe."]
    bad = ["My answer is Yes.", "my answer is no.", "My answer is maybe", "My answer: yes.", "My answer is **yes**."]
    for i in range(12):
        text = g.framed((g.para(1) + " " if i % 2 else "") + good[i % 3], i)
        out.append((text, lambda c: {}))
    for i in range(15):
        text = g.framed((g.para(1) + " " if i % 2 else "") + bad[i % len(bad)], i)
        out.append((text, lambda c: {}))
    return out


def d_highlights(g: Gen) -> list[Design]:
    out: list[Design] = []
    for i in range(24):
        words = g.para(3).split()
        k = 1 + i % 4
        for j in g.rng.sample(range(len(words)), k):
            words[j] = f"**{words[j]}**" if j % 2 else f"*{words[j]}*"
        text = g.framed(" ".join(words), i)
        n = len([h for h in re.findall(r"\*[^\n\*]*\*", text) if h.strip("*").strip()])
        n += len([h for h in re.findall(r"\*\*[^\n\*]*\*\*", text) if h[2:-2].strip()])
        out.append((text, lambda c, n=n, i=i: {"num_highlights": max(1, n + (-1, 0, 1, 1)[i % 4])}))
    return out


def d_sections(g: Gen) -> list[Design]:
    out: list[Design] = []
    for i in range(24):
        n = 2 + i % 3
        mark = SPLITTERS[i % 2]
        written = mark if i % 5 != 4 else SPLITTERS[(i + 1) % 2]  # the other case: not counted
        text = "\n\n".join(f"{written} {j}\n{g.para(2)}" for j in range(1, n + 1))
        text = g.framed(text, i // 2)
        out.append((text, lambda c, n=n, i=i, m=mark: {"section_spliter": m, "num_sections": max(1, n + (0, -1, 1)[i % 3])}))
    return out


def d_json(g: Gen) -> list[Design]:
    out: list[Design] = []
    for i in range(24):
        obj = {"title": g.rng.choice(WORDS), "items": g.sentences(2), "count": i}
        body = json.dumps(obj, indent=2 if i % 2 else None)
        shape = i % 6
        if shape == 1:
            body = "```json\n" + body + "\n```"
        elif shape == 2:
            body = "```JSON\n" + body + "\n```"
        elif shape == 3:
            body = repr(obj)  # a Python dict: single quotes, not JSON
        elif shape == 4:
            body = body + "\nThis JSON lists the items."  # text after the JSON
        elif shape == 5:
            body = g.preamble() + "\n```json\n" + body + "\n```"  # loose: without the first line
        out.append((body, lambda c: {}))
    return out


def d_title(g: Gen) -> list[Design]:
    out: list[Design] = []
    titles = ["<<{t}>>", "<<{t}>>", "<< {t} >>", "<{t}>", "<< >>", "<<{t}\n>>", "# {t}", "<<<{t}>>>"]
    for i in range(24):
        t = " ".join(g.rng.sample(WORDS, 2)).title()
        head = titles[i % len(titles)].format(t=t)
        text = g.framed(head + "\n" + g.para(2), i // 8)
        out.append((text, lambda c: {}))
    return out


def d_two_responses(g: Gen) -> list[Design]:
    out: list[Design] = []
    for i in range(30):
        a, b = g.para(2), g.para(2)
        shape = i % 8
        if shape == 0:
            text = f"{a}\n******\n{b}"
        elif shape == 1:
            text = f"Response 1: {a}\n\n******\n\nResponse 2: {b}"
        elif shape == 2:
            text = f"******\n{a}\n******\n{b}\n******"  # empty first and last parts are allowed
        elif shape == 3:
            text = f"{a}\n******\n{a}"  # the same response twice
        elif shape == 4:
            text = f"{a}\n******\n{b}\n******\n{g.para(1)}"  # three responses
        elif shape == 5:
            text = f"{a}\n******\n******\n{b}"  # an empty response between separators
        elif shape == 6:
            text = f"{a}\n\n{b}"  # no separator
        else:
            text = f"{a}\n******\n{b}\n******\n{g.closer()}"  # loose: the third is only the last line
        out.append((text, lambda c: {}))
    return out


def d_repeat(g: Gen) -> list[Design]:
    out: list[Design] = []
    for i in range(24):
        prompt = g.para(1 + i % 2)
        body = g.para(2)
        shape = i % 6
        if shape in (0, 1):
            text = prompt + " " + body
        elif shape == 2:
            text = prompt.upper() + "\n" + body  # case is ignored
        elif shape == 3:
            text = g.preamble() + "\n" + prompt + "\n" + body  # loose: without the first line
        elif shape == 4:
            text = body + " " + prompt  # repeated, but not first
        else:
            text = prompt[: len(prompt) // 2] + " " + body  # only half repeated
        out.append((text, lambda c, p=prompt: {"prompt_to_repeat": p}))
    return out


def d_end(g: Gen) -> list[Design]:
    out: list[Design] = []
    phrases = ["Is there anything else I can help with?", "Any other questions?", "Peace!", "That is all."]
    for i in range(24):
        phrase = phrases[i % len(phrases)]
        shape = (i // 4) % 6
        body = g.para(2)
        if shape == 0:
            text = f"{body} {phrase}"
        elif shape == 1:
            text = f'"{body} {phrase}"\n'  # quotes and whitespace around the end are ignored
        elif shape == 2:
            text = f"{body} {phrase.lower()}"  # case is ignored
        elif shape == 3:
            text = f"{body} {phrase}\n{g.closer()}"  # loose: without the last line
        elif shape == 4:
            text = f"{body} {phrase} Thanks."
        else:
            text = f"{body} {phrase[:-1]}"  # the final punctuation missing
        out.append((text, lambda c, p=phrase: {"end_phrase": p}))
    return out


def d_capital_words(g: Gen) -> list[Design]:
    out: list[Design] = []
    caps = ["NASA", "API", "JSON", "AT&T", "DON'T", "U.S.", "OK", "A", "I", "EU", "HTTP/2", "CPU-bound"]
    for i in range(24):
        words = g.para(2).split()
        for w in g.rng.sample(caps, 2 + i % 4):
            words.insert(g.rng.randrange(len(words) + 1), w)
        text = g.framed(" ".join(words), i)
        out.append((text, lambda c, i=i: {"capital_frequency": _around(c["capitals"], i), "capital_relation": _rel(i)}))
    return out


def _cased(g: Gen, i: int, upper: bool) -> str:
    """All upper (or lower) case English; every fourth a foreign text; some with a mixed-case line."""
    body = FOREIGN[i % len(FOREIGN)][1] if i % 4 == 3 else g.para(2)
    body = body.upper() if upper else body.lower()
    shape = i % 6
    if shape == 1:
        body = g.preamble() + "\n" + body  # loose: without the first line
    elif shape == 4:
        body = g.para(2)  # mixed case: never followed
    elif shape == 5:
        body = body + "\n" + g.closer()
    return body


def d_english_capital(g: Gen) -> list[Design]:
    return [(_cased(g, i, True), lambda c: {}) for i in range(36)]


def d_english_lowercase(g: Gen) -> list[Design]:
    return [(_cased(g, i, False), lambda c: {}) for i in range(36)]


def d_no_comma(g: Gen) -> list[Design]:
    out: list[Design] = []
    for i in range(24):
        body = g.para(3)
        shape = i % 4
        if shape == 0:
            text = _no_comma(body)
        elif shape == 1:
            text = body if "," in body else body + " Yes, really."
        elif shape == 2:
            text = "Sure, here it is:\n" + _no_comma(body)  # loose: without the first line
        else:
            text = _no_comma(body) + "\n" + "Best wishes, Sam"  # loose: without the last line
        out.append((text, lambda c: {}))
    return out


def d_quotation(g: Gen) -> list[Design]:
    out: list[Design] = []
    for i in range(24):
        body = g.para(2)
        shape = i % 6
        if shape in (0, 1):
            text = f'"{body}"'
        elif shape == 2:
            text = f'  "{body}"\n'  # surrounding whitespace is ignored
        elif shape == 3:
            text = f'{g.preamble()}\n"{body}"'  # loose: without the first line
        elif shape == 4:
            text = f"“{body}”"  # curly quotes do not count
        else:
            text = f'"{body}'  # no closing quote
        out.append((text, lambda c: {}))
    return out


DESIGNERS: dict[str, Callable[[Gen], list[Design]]] = {
    "keywords:existence": d_existence,
    "keywords:frequency": d_frequency,
    "keywords:forbidden_words": d_forbidden,
    "keywords:letter_frequency": d_letter,
    "language:response_language": d_language,
    "length_constraints:number_sentences": d_sentences,
    "length_constraints:number_paragraphs": d_paragraphs,
    "length_constraints:number_words": d_words,
    "length_constraints:nth_paragraph_first_word": d_first_word,
    "detectable_content:number_placeholders": d_placeholders,
    "detectable_content:postscript": d_postscript,
    "detectable_format:number_bullet_lists": d_bullets,
    "detectable_format:constrained_response": d_constrained,
    "detectable_format:number_highlighted_sections": d_highlights,
    "detectable_format:multiple_sections": d_sections,
    "detectable_format:json_format": d_json,
    "detectable_format:title": d_title,
    "combination:two_responses": d_two_responses,
    "combination:repeat_prompt": d_repeat,
    "startend:end_checker": d_end,
    "change_case:capital_word_frequency": d_capital_words,
    "change_case:english_capital": d_english_capital,
    "change_case:english_lowercase": d_english_lowercase,
    "punctuation:no_comma": d_no_comma,
    "startend:quotation": d_quotation,
}


def secondary(iid: str, text: str, g: Gen, i: int) -> KwMaker:
    """Kwargs for an instruction the response was not designed for, around the response's own counts."""
    r = g.rng
    words = re.findall(r"[A-Za-z]{4,}", text) or ["the"]
    if iid == "keywords:existence":
        return lambda c, kw=[r.choice(words), r.choice(WORDS)][: 1 + i % 2]: {"keywords": kw}
    if iid == "keywords:frequency":
        kw = r.choice(words)
        n = count_re(kw, text)
        return lambda c: {"keyword": kw, "frequency": _around(n, i), "relation": _rel(i)}
    if iid == "keywords:forbidden_words":
        return lambda c, kw=[r.choice(words + WORDS).lower()]: {"forbidden_words": kw}
    if iid == "keywords:letter_frequency":
        letter = r.choice("aeiostnr")
        n = max(1, text.lower().count(letter))
        return lambda c: {"letter": letter, "let_frequency": _around(n, i), "let_relation": _rel(i)}
    if iid == "length_constraints:number_sentences":
        return lambda c: {"num_sentences": _around(c["sentences"], i), "relation": _rel(i)}
    if iid == "length_constraints:number_words":
        return lambda c: {"num_words": _around(c["words"], i), "relation": _rel(i)}
    if iid == "change_case:capital_word_frequency":
        return lambda c: {"capital_frequency": _around(c["capitals"], i), "capital_relation": _rel(i)}
    if iid == "length_constraints:number_paragraphs":
        n = len([p for p in re.split(r"\s?\*\*\*\s?", text) if p.strip()])
        return lambda c: {"num_paragraphs": _around(n, i)}
    if iid == "length_constraints:nth_paragraph_first_word":
        paras = [p for p in text.split("\n\n") if p.strip()]
        first = (re.findall(r"[A-Za-z]+", paras[0]) or ["the"])[0].lower()
        return lambda c: {"num_paragraphs": _around(len(paras), i), "nth_paragraph": 1, "first_word": first}
    if iid == "detectable_content:number_placeholders":
        return lambda c: {"num_placeholders": _around(len(re.findall(r"\[.*?\]", text)), i)}
    if iid == "detectable_content:postscript":
        return lambda c: {"postscript_marker": MARKERS[i % 2]}
    if iid == "detectable_format:number_bullet_lists":
        n = len(re.findall(r"^\s*\*[^\*].*$", text, re.M)) + len(re.findall(r"^\s*-.*$", text, re.M))
        return lambda c: {"num_bullets": _around(n, i)}
    if iid == "detectable_format:number_highlighted_sections":
        return lambda c: {"num_highlights": _around(len(re.findall(r"\*[^\n\*]*\*", text)), i)}
    if iid == "detectable_format:multiple_sections":
        return lambda c: {"section_spliter": SPLITTERS[i % 2], "num_sections": 1 + i % 3}
    if iid == "combination:repeat_prompt":
        prompt = " ".join(text.split()[: 3 + i % 3]) if i % 2 else r.choice(EN)
        return lambda c: {"prompt_to_repeat": prompt}
    if iid == "startend:end_checker":
        end = " ".join(text.split()[-(1 + i % 3) :])
        return lambda c: {"end_phrase": end if i % 2 else "Any other questions?"}
    return lambda c: {}  # the instructions without kwargs


# Checked with langdetect on up to 8 variants of a response: the slowest checks by far. Only their
# own designed responses carry them, which keeps tests/test_ifeval.py's agreement test at a few seconds.
LANGDETECT = frozenset({"language:response_language", "change_case:english_capital", "change_case:english_lowercase"})


def designs(seed: int) -> list[tuple[str, list[str], list[KwMaker]]]:
    """(response, instruction ids, kwargs-makers): the designed instruction first, then two others."""
    g = Gen(seed)
    ids = list(DESIGNERS)
    out = []
    for iid in ids:
        for j, (text, kw) in enumerate(DESIGNERS[iid](g)):
            others = g.rng.sample([o for o in ids if o != iid and o not in LANGDETECT], 2)
            makers = [kw] + [secondary(o, text, g, j + k) for k, o in enumerate(others)]
            out.append((text, [iid, *others], makers))
    g.rng.shuffle(out)
    return out
