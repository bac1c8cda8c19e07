"""Format: does the answer have the shape the prompt asked for?

Runs only on cases that declare `format:*` checks (docs/suite-format.md). Each declared check
yields one Check; an unknown id or bad kwargs yields a failed Check saying so (never a crash).
The LAST turn's answer is checked unless kwargs give `turn` (1-based); every check carries its `turn`.

- format:numbered_list  `min_items` (default 2): 1. 1) 1、 1． (1) （1） 一、 （一） ① 第一步 Step 1
                        items at line starts, or an inline run numbered 1, 2, 3… in order
- format:bullet_list    `min_items` (default 2): lines starting with - * • · ・ ▪ ‣ ◦ ● +
- format:code_block     `language`, `defines` (function|class): a fenced block (``` or ~~~; an
                        unclosed fence at the end counts). Python is checked with `ast.parse`
                        (never executed). Decision: with no fence at all, an answer that parses
                        whole as Python and defines a function (or class) passes, the reason
                        noting it was unfenced; any other unfenced answer fails.
- format:max_words      `limit`: words (Latin words + one per CJK character) <= limit
- format:max_chars      `limit`: characters excluding whitespace <= limit
- format:letter         a salutation in the first lines and a closing after it (zh and en)
- format:json           the whole answer, or one of its fenced blocks, parses as JSON; optional
                        `schema` (a JSON Schema subset: type, properties, required,
                        additionalProperties, items, enum, const, min/maxItems, min/maxLength,
                        minimum/maximum)
- format:min_words / format:min_chars   `limit`: at least that many words / characters
- format:max_sentences  `limit`: at most that many sentences (. ! ? 。！？ and line ends)
- format:list_items     `n` (exactly) or `min_items`/`max_items`: items of a numbered or bullet
                        list, else one per short line, else an inline enumeration
                        ("apple, pear and plum", "苹果、香蕉和樱桃")
- format:table          `min_rows` (1), `min_cols` (2): a markdown table (header, |---|, rows)
- format:title          a title line before the body: a heading, **bold** line, <<title>>,
                        《标题》, or a short first line without final punctuation
- format:sections       `min_sections` (2): markdown headings, bold lines, "Section N", 一、二、
- format:language       `lang` zh|en: at least 60% of the text (CJK characters / 1.5 vs Latin
                        words, code blocks aside) is in that language; other ISO 639-1 codes (fr,
                        es, de, ja, …): langdetect finds that language
- format:poem, format:sentence_starts, format:starts_with, format:ends_with, format:case:
                        harness/scorers/shape.py
- format:zh_punctuation Chinese text uses full-width punctuation (，。！？：；), not , . ! ? : ;
                        next to CJK characters (decimals like 3.14 are fine)

Implied checks (harness/scorers/implied.py): the same checks, inferred from each prompt's words
when the case does not declare them ("write a Python function" -> code_block, "list three…" ->
list_items n=3, "不超过50字" -> max_chars 50…); reasons start "implied by '…'".
`[scoring] implied_checks = false` turns them off.

A new check is one function `(text, kwargs) -> (passed, reason, value)` in `FORMAT_CHECKS`.
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
from collections.abc import Callable, Mapping
from typing import Any

from harness.config import DEFAULT_SCORING, ScoringConfig
from harness.records import Case, Check, Generation
from harness.scorers import scorer
from harness.scorers.ifeval_instructions import detect_language
from harness.scorers.implied import implied_specs
from harness.scorers.shape import SHAPE_CHECKS
from harness.scorers.text import (
    CJK_RANGES,
    KwargError,
    code_fences,
    count_chars,
    count_words,
    has_cjk,
    int_kwarg,
    pick_turn,
    snippet,
    spec_fields,
    split_sentences,
    strip_code_blocks,
    tokens,
)

FAMILY = "format"
PARSE_MAX_CHARS = 200_000  # code/JSON longer than this is not parsed (reported, not crashed on)

Verdict = tuple[bool, str, float | None]


# ---------------------------------------------------------------------------------------------
# numbered_list

_ZH_NUM = "一二三四五六七八九十百零〇"
_NUMBERED_LINE_RE = re.compile(
    r"^[ \t>]*(?:\*\*|__)?(?:"
    r"\d{1,3}[.．)）、](?!\d)"
    r"|[（(]\d{1,3}[)）]"
    f"|[{_ZH_NUM}]{{1,3}}[、.．)）]"
    f"|[（(][{_ZH_NUM}]{{1,3}}[)）]"
    f"|第[{_ZH_NUM}\\d]{{1,3}}[步点條条项個个部分章节]"
    r"|[\u2460-\u2473\u2776-\u277f]"
    r"|step\s*\d{1,3}\b"
    r")(?:\*\*|__)?[ \t]*\S",
    re.M | re.I,
)
_INLINE_NUM_RE = re.compile(r"(?:^|(?<=[\s：:；;，,。!！?？]))(?:[（(](\d{1,2})[)）]|(\d{1,2})[.．)）、](?!\d))")
_INLINE_ORDINAL_RE = re.compile(f"第([{_ZH_NUM}]{{1,3}}|\\d{{1,2}})[步点条项个]")
_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _zh_to_int(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    if s in _ZH_DIGITS:
        return _ZH_DIGITS[s]
    if len(s) == 2 and s[0] == "十" and s[1] in _ZH_DIGITS:
        return 10 + _ZH_DIGITS[s[1]]
    if len(s) == 2 and s[1] == "十" and s[0] in _ZH_DIGITS:
        return 10 * _ZH_DIGITS[s[0]]
    if len(s) == 3 and s[1] == "十" and s[0] in _ZH_DIGITS and s[2] in _ZH_DIGITS:
        return 10 * _ZH_DIGITS[s[0]] + _ZH_DIGITS[s[2]]
    return None


def _consecutive_run(numbers: list[int]) -> int:
    """Length of the 1, 2, 3, … sequence found in order in `numbers` (gaps of other numbers allowed)."""
    want = 1
    for n in numbers:
        if n == want:
            want += 1
    return want - 1


def count_numbered_items(text: str) -> int:
    body = strip_code_blocks(text)
    at_line_start = len(_NUMBERED_LINE_RE.findall(body))
    inline = _consecutive_run([int(a or b) for a, b in _INLINE_NUM_RE.findall(body)])
    ordinals = _consecutive_run([n for n in (_zh_to_int(s) for s in _INLINE_ORDINAL_RE.findall(body)) if n])
    return max(at_line_start, inline, ordinals)


def check_numbered_list(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    need = int_kwarg(kwargs, "min_items", 2, minimum=1)
    found = count_numbered_items(text)
    return found >= need, f"{found} numbered items found, {need} required", float(found)


# ---------------------------------------------------------------------------------------------
# bullet_list

_BULLET_LINE_RE = re.compile(r"^[ \t>]*[-*•·・▪‣◦●○■+][ \t]+(?![-*_ \t]*$)\S", re.M)


def check_bullet_list(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    need = int_kwarg(kwargs, "min_items", 2, minimum=1)
    found = len(_BULLET_LINE_RE.findall(strip_code_blocks(text)))
    return found >= need, f"{found} bullet items found, {need} required", float(found)


# ---------------------------------------------------------------------------------------------
# code_block

_LANG_ALIASES = {
    "py": "python",
    "python3": "python",
    "py3": "python",
    "js": "javascript",
    "node": "javascript",
    "ts": "typescript",
    "c++": "cpp",
    "cxx": "cpp",
    "sh": "bash",
    "shell": "bash",
    "zsh": "bash",
    "golang": "go",
    "rs": "rust",
    "yml": "yaml",
    "kt": "kotlin",
    "cs": "csharp",
    "c#": "csharp",
}


def _lang(tag: str) -> str:
    t = tag.strip().lower().lstrip("{.").rstrip("}")
    return _LANG_ALIASES.get(t, t)


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """(language, code) of each fenced block, in order; an unclosed last fence runs to the end."""
    return [(_lang(info.split()[0]) if info.split() else "", code) for info, _, _, code in code_fences(text)]


def parse_python(code: str) -> tuple[ast.AST | None, str]:
    """(tree, "") when `code` parses as Python, else (None, why). Never executes anything."""
    if len(code) > PARSE_MAX_CHARS:
        return None, f"too long to parse ({len(code)} chars)"
    try:
        return ast.parse(textwrap.dedent(code)), ""
    except SyntaxError as e:
        return None, f"SyntaxError: {e.msg} (line {e.lineno})"
    except Exception as e:  # ValueError (null bytes), RecursionError, MemoryError...
        return None, f"{type(e).__name__} while parsing"


_DEF_KINDS = {"function": (ast.FunctionDef, ast.AsyncFunctionDef), "class": (ast.ClassDef,)}


def _defined_names(tree: ast.AST, kind: str) -> list[str]:
    return [n.name for n in ast.walk(tree) if isinstance(n, _DEF_KINDS[kind])]


def check_code_block(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    language = kwargs.get("language")
    if language is not None and not isinstance(language, str):
        raise KwargError(f"kwarg 'language' must be a string, got {language!r}")
    want = _lang(language) if language else ""
    defines = kwargs.get("defines")
    if defines is not None and defines not in _DEF_KINDS:
        raise KwargError(f"kwarg 'defines' must be one of {', '.join(_DEF_KINDS)}, got {defines!r}")
    blocks = fenced_blocks(text)
    label = f"```{want}" if want else "fenced"

    if not blocks:
        # Unfenced: pass only when the whole answer is Python that defines a function (or class).
        if want in ("", "python") and ("def " in text or "class " in text):
            tree, _ = parse_python(text.strip())
            if tree is not None:
                kinds = [defines] if defines else ["function", "class"]
                names = [n for k in kinds for n in _defined_names(tree, k)]
                if names:
                    return True, f"no fence, but the whole answer is Python defining {names[0]}() (unfenced)", 1.0
        return False, f"no {label} code block", 0.0

    candidates = [(lang, code) for lang, code in blocks if not want or lang in (want, "")]
    if not candidates:
        found = ", ".join(sorted({f"```{lang}" if lang else "untagged" for lang, _ in blocks}))
        return False, f"no {label} code block (found {found})", 0.0
    if want != "python":
        return True, f"{len(candidates)} {label} code block(s) found", 1.0

    why = ""
    for _, code in candidates:
        tree, err = parse_python(code)
        if tree is None:
            why = why or err
            continue
        if not defines:
            return True, "a ```python block that parses", 1.0
        names = _defined_names(tree, defines)
        if names:
            return True, f"a ```python block that parses and defines {names[0]}()", 1.0
        why = why or f"the block parses but defines no {defines}"
    return False, f"no ```python block passes: {why}", 0.0


# ---------------------------------------------------------------------------------------------
# max_words / max_chars


def check_max_words(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    limit = int_kwarg(kwargs, "limit")
    n = count_words(text)
    return n <= limit, f"{n} words, limit {limit}", float(n)


def check_max_chars(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    limit = int_kwarg(kwargs, "limit")
    n = count_chars(text)
    return n <= limit, f"{n} characters (whitespace excluded), limit {limit}", float(n)


# ---------------------------------------------------------------------------------------------
# letter

_MARKUP_RE = re.compile(r"^[\s#>*_]+|[\s*_]+$")
_EN_SALUTATION_RE = re.compile(
    r"^(?:dear|hi|hello|hey|greetings|good (?:morning|afternoon|evening)|to whom it may concern"
    r"|to the [\w .'-]{1,40}[,:])\b",
    re.I,
)
_ZH_SALUTATION_RE = re.compile(r"^(?:亲爱的|尊敬的|敬爱的|致[^\n]{0,20}[：:]|[^\n]{0,24}(?:您好|你好)[：:，,！!]?$)")
_ZH_COLON_LINE_RE = re.compile(r"^[^\n。！？]{1,24}[：:]$")
_CLOSING_RE = re.compile(
    r"\b(?:best regards|kind regards|warm regards|warmest regards|regards|sincerely|yours (?:truly|sincerely|"
    r"faithfully|respectfully|gratefully|ever)|best wishes|warm wishes|all the best|with gratitude|gratefully"
    r"|respectfully|with (?:love|appreciation|thanks)|take care|cheers|warmly)\b"
    r"|^[ \t*_]*(?:yours|best|thanks|thank you|thanks again|thank you again|many thanks|love)[ \t]*[,!.，！。]?[ \t*_]*$"
    r"|此致|敬礼|祝好|顺颂|顺祝|谨上|敬上|顿首|祝[^\n。]{0,10}(?:安康|顺利|健康|快乐|愉快|进步|平安|如意|顺心|万事)",
    re.I | re.M,
)


def find_salutation(text: str) -> tuple[int, str] | None:
    """(offset of the line after it, the salutation line) within the first 5 non-empty lines."""
    pos = 0
    seen = 0
    for line in text.splitlines(keepends=True):
        start = pos
        pos += len(line)
        clean = _MARKUP_RE.sub("", line)
        if not clean:
            continue
        seen += 1
        if seen > 5:
            break
        if (
            _EN_SALUTATION_RE.match(clean)
            or _ZH_SALUTATION_RE.match(clean)
            or (has_cjk(clean) and _ZH_COLON_LINE_RE.match(clean))
        ):
            return start + len(line), clean
    return None


def check_letter(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    sal = find_salutation(text[:5000])
    rest = text[sal[0] :] if sal else text
    closing = _CLOSING_RE.search(rest)
    if sal and closing:
        return True, f"salutation {snippet(sal[1], 30)!r} and closing {closing.group(0).strip()!r} found", 1.0
    if sal:
        return (
            False,
            f"salutation {snippet(sal[1], 30)!r} found but no closing (Best regards/Sincerely/此致 敬礼/祝好)",
            0.5,
        )
    if closing:
        return (
            False,
            f"closing {closing.group(0).strip()!r} found but no salutation (Dear …/亲爱的…：) in the first lines",
            0.5,
        )
    return False, "no salutation (Dear …/亲爱的…：) and no closing (Sincerely/此致 敬礼): not a letter", 0.0


# ---------------------------------------------------------------------------------------------
# json


def _parse_json(s: str) -> tuple[bool, str]:
    s = s.strip().lstrip("\ufeff")
    if not s:
        return False, "empty"
    if len(s) > PARSE_MAX_CHARS:
        return False, f"too long to parse ({len(s)} chars)"
    try:
        value = json.loads(s)
    except json.JSONDecodeError as e:
        return False, f"{e.msg} at line {e.lineno} column {e.colno}"
    except Exception as e:  # RecursionError on absurd nesting...
        return False, f"{type(e).__name__} while parsing"
    return True, type(value).__name__.replace("dict", "object").replace("list", "array")


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "integer": (int,), "number": (int, float),
    "boolean": (bool,), "null": (type(None),),
}


def schema_errors(value: Any, schema: Any, path: str = "$") -> str | None:
    """The first violation of a JSON Schema subset (type, properties, required, additionalProperties,
    items, enum, const, minItems, maxItems, minLength, maxLength, minimum, maximum), else None."""
    if not isinstance(schema, Mapping):
        return None
    t = schema.get("type")
    if t is not None:
        types = t if isinstance(t, list) else [t]
        ok = any(
            isinstance(value, _JSON_TYPES.get(x, ())) and not (x in ("integer", "number") and isinstance(value, bool))
            for x in types
        )
        if not ok:
            return f"{path}: expected {'/'.join(map(str, types))}, got {type(value).__name__}"
    if "enum" in schema and value not in schema["enum"]:
        return f"{path}: {value!r} not one of {schema['enum']!r}"
    if "const" in schema and value != schema["const"]:
        return f"{path}: expected {schema['const']!r}"
    if isinstance(value, dict):
        for key in schema.get("required") or ():
            if key not in value:
                return f"{path}: missing required key {key!r}"
        props = schema.get("properties") or {}
        for key, sub in props.items():
            if key in value:
                err = schema_errors(value[key], sub, f"{path}.{key}")
                if err:
                    return err
        if schema.get("additionalProperties") is False:
            extra = [k for k in value if k not in props]
            if extra:
                return f"{path}: unexpected key {extra[0]!r}"
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            return f"{path}: {len(value)} items, at least {schema['minItems']} required"
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            return f"{path}: {len(value)} items, at most {schema['maxItems']} allowed"
        if isinstance(schema.get("items"), Mapping):
            for i, item in enumerate(value):
                err = schema_errors(item, schema["items"], f"{path}[{i}]")
                if err:
                    return err
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            return f"{path}: shorter than {schema['minLength']}"
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return f"{path}: longer than {schema['maxLength']}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            return f"{path}: {value} < minimum {schema['minimum']}"
        if "maximum" in schema and value > schema["maximum"]:
            return f"{path}: {value} > maximum {schema['maximum']}"
    return None


def _json_value(s: str) -> Any:
    return json.loads(s.strip().lstrip("\ufeff"))


def check_json(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    schema = kwargs.get("schema")
    if schema is not None and not isinstance(schema, Mapping):
        raise KwargError(f"kwarg 'schema' must be a JSON Schema object, got {schema!r}")
    candidates: list[tuple[str, str]] = [("the answer", text)]
    blocks = fenced_blocks(text)
    blocks.sort(key=lambda b: b[0] != "json")  # ```json blocks first
    candidates += [(f"its {'```' + lang if lang else 'fenced'} block", code) for lang, code in blocks]
    first_err = ""
    for where, src in candidates:
        ok, what = _parse_json(src)
        if not ok:
            first_err = first_err or what
            continue
        if schema is None:
            return True, f"{where} parses as JSON ({what})", 1.0
        err = schema_errors(_json_value(src), schema)
        if err is None:
            return True, f"{where} parses as JSON ({what}) and matches the schema", 1.0
        return False, f"{where} parses as JSON but does not match the schema: {err}", 0.5
    what = first_err
    if blocks:
        return False, f"neither the answer nor its fenced block(s) parse as JSON ({what})", 0.0
    return False, f"not JSON: {what}", 0.0


# ---------------------------------------------------------------------------------------------
# min_words / min_chars / max_sentences


def check_min_words(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    limit = int_kwarg(kwargs, "limit")
    n = count_words(text)
    return n >= limit, f"{n} words, at least {limit} required", float(n)


def check_min_chars(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    limit = int_kwarg(kwargs, "limit")
    n = count_chars(text)
    return n >= limit, f"{n} characters (whitespace excluded), at least {limit} required", float(n)


def check_max_sentences(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    limit = int_kwarg(kwargs, "limit", minimum=1)
    n = len(split_sentences(strip_code_blocks(text).strip()))
    return n <= limit, f"{n} sentence(s), at most {limit} allowed", float(n)


# ---------------------------------------------------------------------------------------------
# list_items: N items, whatever the list style (numbered, bullets, one per line, inline)

_INLINE_SPLIT_RE = re.compile(r"\s*(?:[,，、;；]\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+|和|以及|或者?)\s*", re.I)
_LEAD_RE = re.compile(r"^[^:：\n]{0,60}[:：]\s*")


def count_list_items(text: str) -> tuple[int, str]:
    """(items, how): a numbered or bullet list if there is one, else lines, else an inline enumeration."""
    body = strip_code_blocks(text).strip()
    numbered = count_numbered_items(body)
    bullets = len(_BULLET_LINE_RE.findall(body))
    if numbered >= 2 or bullets >= 2:
        return (numbered, "numbered items") if numbered >= bullets else (bullets, "bullet items")
    lines = [ln for ln in body.splitlines() if ln.strip()]
    if len(lines) >= 2 and all(len(tokens(ln)) <= 12 for ln in lines[1:]):
        # a short list, one item per line (a lead-in line ending with ':' is not an item)
        items = lines[1:] if lines[0].rstrip().endswith((":", "：")) else lines
        return len(items), "lines"
    first = split_sentences(_LEAD_RE.sub("", body, count=1)) or ("",)
    parts = [x for x in _INLINE_SPLIT_RE.split(first[0].rstrip("。.!！")) if x.strip()]
    return len(parts), "inline items"


def check_list_items(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    exact = kwargs.get("n")
    lo = int_kwarg(kwargs, "n", minimum=1) if exact is not None else int_kwarg(kwargs, "min_items", 1, minimum=1)
    hi = lo if exact is not None else (int_kwarg(kwargs, "max_items") if kwargs.get("max_items") is not None else None)
    n, how = count_list_items(text)
    want = f"exactly {lo}" if hi == lo else f"at least {lo}" + (f" and at most {hi}" if hi is not None else "")
    ok = n >= lo and (hi is None or n <= hi)
    return ok, f"{n} {how} found, {want} required", float(n)


# ---------------------------------------------------------------------------------------------
# table: a markdown table (header, |---| separator, rows)

_TABLE_SEP_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")


def find_tables(text: str) -> list[tuple[int, int]]:
    """(columns, data rows) of each markdown table."""
    lines = text.splitlines()
    out = []
    for i, line in enumerate(lines):
        if i and _TABLE_SEP_RE.match(line) and "|" in lines[i - 1]:
            cols = len([c for c in lines[i - 1].strip().strip("|").split("|")])
            rows = 0
            for ln in lines[i + 1 :]:
                if "|" not in ln or not ln.strip():
                    break
                rows += 1
            out.append((cols, rows))
    return out


def check_table(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    min_rows = int_kwarg(kwargs, "min_rows", 1)
    min_cols = int_kwarg(kwargs, "min_cols", 2)
    tables = find_tables(text[:PARSE_MAX_CHARS])
    if not tables:
        return False, "no markdown table (a header row, a |---| separator, rows)", 0.0
    for cols, rows in tables:
        if cols >= min_cols and rows >= min_rows:
            return True, f"a markdown table with {cols} columns and {rows} rows", float(rows)
    cols, rows = tables[0]
    return False, f"a table with {cols} columns and {rows} rows; {min_cols}+ columns and {min_rows}+ rows required", float(rows)


# ---------------------------------------------------------------------------------------------
# title / sections

_HEADING_RE = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+\S.*$", re.M)
_BOLD_LINE_RE = re.compile(r"^[ \t]*(?:\*\*|__)[^*_\n]{1,80}(?:\*\*|__)[:：]?[ \t]*$", re.M)
_ZH_SECTION_RE = re.compile(f"^[ \\t]*(?:[{_ZH_NUM}]{{1,3}}、|第[{_ZH_NUM}\\d]{{1,3}}[部分章节])[^\\n]{{0,30}}$", re.M)
_SECTION_WORD_RE = re.compile(r"^[ \t]*(?:section|part|chapter)[ \t]+\d+\b.*$", re.M | re.I)
_TITLE_LINE_RE = re.compile(r"^(?:<<[^\n]+>>|《[^\n》]+》|标题[:：].+|title[:：].+)$", re.I)


def find_title(text: str) -> str | None:
    lines = [ln.strip() for ln in strip_code_blocks(text).strip().splitlines()]
    lines = [ln for ln in lines if ln]
    if len(lines) < 2:
        return None
    first = lines[0]
    if _HEADING_RE.match(first) or _BOLD_LINE_RE.match(first) or _TITLE_LINE_RE.match(first):
        return first
    short = len(tokens(first)) <= (24 if has_cjk(first) else 12)
    if short and not first.endswith(tuple(".。!！?？,，:：;；")) and not _EN_SALUTATION_RE.match(first):
        if not _NUMBERED_LINE_RE.match(first) and not _BULLET_LINE_RE.match(first):
            return first
    return None


def check_title(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    t = find_title(text)
    if t:
        return True, f"title {snippet(t, 40)!r}", 1.0
    return False, "no title line (a heading, a short first line, <<title>> or 《标题》) before the body", 0.0


def count_sections(text: str) -> int:
    body = strip_code_blocks(text)
    return max(
        len(_HEADING_RE.findall(body)),
        len(_BOLD_LINE_RE.findall(body)),
        len(_ZH_SECTION_RE.findall(body)),
        len(_SECTION_WORD_RE.findall(body)),
    )


def check_sections(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    need = int_kwarg(kwargs, "min_sections", 2, minimum=1)
    n = count_sections(text)
    return n >= need, f"{n} section heading(s) found, {need} required", float(n)


# ---------------------------------------------------------------------------------------------
# language: the answer is written in the language asked for (zh / en by script shares, others by langdetect)

_LATIN_WORD_RE = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}")


def language_shares(text: str) -> tuple[int, int]:
    """(CJK characters, Latin words) outside code blocks."""
    body = strip_code_blocks(text)
    cjk = len(body) - len(_CJK_STRIP_RE.sub("", body)) if has_cjk(body) else 0
    return cjk, len(_LATIN_WORD_RE.findall(body))


_CJK_STRIP_RE = re.compile(f"[{CJK_RANGES}]")


LANGUAGE_NAMES = {
    "zh": "Chinese", "en": "English", "fr": "French", "es": "Spanish", "de": "German", "ja": "Japanese",
    "ko": "Korean", "it": "Italian", "pt": "Portuguese", "ru": "Russian", "ar": "Arabic", "nl": "Dutch",
    "vi": "Vietnamese", "th": "Thai", "tr": "Turkish", "pl": "Polish", "sv": "Swedish", "hi": "Hindi",
}


def check_language(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    lang = kwargs.get("lang")
    if not isinstance(lang, str) or lang.lower() not in LANGUAGE_NAMES:
        raise KwargError(f"kwarg 'lang' must be one of {', '.join(LANGUAGE_NAMES)}, got {lang!r}")
    lang = lang.lower()
    if lang not in ("zh", "en"):
        # other languages: langdetect (seeded, as for IFEval's response_language)
        body = strip_code_blocks(text)
        found = detect_language(body) if body.strip() else None
        name = LANGUAGE_NAMES[lang]
        if found is None:
            return False, f"no language could be detected ({name} asked for)", 0.0
        found = found.split("-")[0]
        shown = LANGUAGE_NAMES.get(found, found)
        return found == lang, f"written in {shown}" + ("" if found == lang else f", not {name}"), 1.0 if found == lang else 0.0
    cjk, latin = language_shares(text)
    if not cjk and not latin:
        return False, "no Chinese characters or English words", 0.0
    # a Chinese word is ~1.5 characters: compare in words
    zh_share = (cjk / 1.5) / (cjk / 1.5 + latin)
    share = zh_share if lang == "zh" else 1 - zh_share
    name = "Chinese" if lang == "zh" else "English"
    return share >= 0.6, f"{round(share * 100)}% {name} ({cjk} CJK characters, {latin} Latin words)", share


# ---------------------------------------------------------------------------------------------
# zh_punctuation: Chinese text uses full-width punctuation (，。！？：；), not ASCII , . ! ? : ;

_ZH_HALF_PUNCT_RE = re.compile(f"(?<=[{CJK_RANGES}])[,!?;:]|(?<=[{CJK_RANGES}])\\.(?!\\d)(?=\\s|$|[{CJK_RANGES}])|[,;:!?](?=[{CJK_RANGES}])")
_ZH_MIXED_RE = re.compile(f"[{CJK_RANGES}][，。！？；：][A-Za-z]|[A-Za-z][，。！？；：](?=[A-Za-z])")


def check_zh_punctuation(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    body = strip_code_blocks(text)
    if not has_cjk(body):
        return True, "no Chinese text to check", 0.0
    bad = _ZH_HALF_PUNCT_RE.findall(body[:PARSE_MAX_CHARS])
    if bad:
        m = _ZH_HALF_PUNCT_RE.search(body)
        assert m is not None
        ctx = body[max(0, m.start() - 6) : m.end() + 4]
        return False, f"{len(bad)} half-width punctuation mark(s) in Chinese text (e.g. {snippet(ctx, 20)!r})", float(len(bad))
    return True, "Chinese text uses full-width punctuation", 0.0


FORMAT_CHECKS: dict[str, Callable[[str, Mapping[str, Any]], Verdict]] = {
    "numbered_list": check_numbered_list,
    "bullet_list": check_bullet_list,
    "code_block": check_code_block,
    "max_words": check_max_words,
    "max_chars": check_max_chars,
    "letter": check_letter,
    "json": check_json,
    "min_words": check_min_words,
    "min_chars": check_min_chars,
    "max_sentences": check_max_sentences,
    "list_items": check_list_items,
    "table": check_table,
    "title": check_title,
    "sections": check_sections,
    "language": check_language,
    "zh_punctuation": check_zh_punctuation,
    **SHAPE_CHECKS,
}


def kwargs_error(name: str, kwargs: Mapping[str, Any]) -> str | None:
    """What is wrong with a declared format check's id or kwargs (checked when a suite is loaded)."""
    fn = FORMAT_CHECKS.get(name)
    if fn is None:
        return f"unknown check id '{FAMILY}:{name}' (known: {', '.join(f'{FAMILY}:{k}' for k in FORMAT_CHECKS)})"
    try:
        if "turn" in kwargs:
            int_kwarg(kwargs, "turn", minimum=1)
        fn("x", kwargs)  # the check reads its kwargs first: a bad one raises before any text is judged
    except KwargError as e:
        return str(e)
    return None


@scorer(FAMILY, help="the answer has the shape asked for: declared format checks, plus those the prompt implies", validate=kwargs_error)
def score_format(case: Case, gen: Generation, cfg: ScoringConfig = DEFAULT_SCORING) -> list[Check]:
    """The answer has the shape asked for: declared `format:*` checks, plus the checks each turn's words
    imply (harness/scorers/implied.py; explicit wins) unless `[scoring] implied_checks = false`."""
    checks: list[Check] = []
    for spec in case.checks or []:
        cid, kwargs = spec_fields(spec)
        if not cid.startswith(FAMILY + ":"):
            continue
        name = cid[len(FAMILY) + 1 :]
        fn = FORMAT_CHECKS.get(name)
        if fn is None:
            known = ", ".join(f"{FAMILY}:{k}" for k in FORMAT_CHECKS)
            checks.append(Check(id=cid, passed=False, reason=f"unknown check id {cid!r} (known: {known})"))
            continue
        if not isinstance(kwargs, Mapping):
            checks.append(Check(id=cid, passed=False, reason=f"kwargs must be an object, got {kwargs!r}"))
            continue
        try:
            idx, text = pick_turn(kwargs, gen)
            passed, reason, value = fn(text, kwargs)
        except KwargError as e:
            checks.append(Check(id=cid, passed=False, reason=str(e)))
            continue
        checks.append(Check(id=cid, passed=passed, reason=reason, value=value, turn=idx + 1))
    if cfg.implied_checks:
        for cid, kwargs, because in implied_specs(case):
            fn = FORMAT_CHECKS[cid[len(FAMILY) + 1 :]]
            try:
                idx, text = pick_turn(kwargs, gen)
                passed, reason, value = fn(text, kwargs)
            except KwargError:
                continue  # that turn was not answered: nothing to check
            checks.append(
                Check(id=cid, passed=passed, reason=f"implied by {snippet(because, 64)!r}: {reason}", value=value, turn=idx + 1)
            )
    return checks
