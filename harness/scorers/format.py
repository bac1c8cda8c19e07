"""Format: does the answer have the shape the prompt asked for?

Runs only on cases that declare `format:*` checks (docs/suite-format.md). Each declared check
yields one Check; an unknown id or bad kwargs yields a failed Check saying so (never a crash).
The LAST turn's answer is checked unless kwargs give `turn` (1-based).

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
- format:json           the whole answer, or one of its fenced blocks, parses as JSON

A new check is one function `(text, kwargs) -> (passed, reason, value)` in `FORMAT_CHECKS`.
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
from collections.abc import Callable, Mapping
from typing import Any

from harness.records import Case, Check, Generation
from harness.scorers import scorer
from harness.scorers.text import (
    KwargError,
    code_fences,
    count_chars,
    count_words,
    has_cjk,
    int_kwarg,
    pick_turn,
    snippet,
    spec_fields,
    strip_code_blocks,
    turn_label,
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


def check_json(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    ok, what = _parse_json(text)
    if ok:
        return True, f"the answer parses as JSON ({what})", 1.0
    blocks = fenced_blocks(text)
    blocks.sort(key=lambda b: b[0] != "json")  # ```json blocks first
    for lang, code in blocks:
        ok2, what2 = _parse_json(code)
        if ok2:
            tag = f"```{lang}" if lang else "fenced"
            return True, f"its {tag} block parses as JSON ({what2})", 1.0
    if blocks:
        return False, f"neither the answer nor its fenced block(s) parse as JSON ({what})", 0.0
    return False, f"not JSON: {what}", 0.0


FORMAT_CHECKS: dict[str, Callable[[str, Mapping[str, Any]], Verdict]] = {
    "numbered_list": check_numbered_list,
    "bullet_list": check_bullet_list,
    "code_block": check_code_block,
    "max_words": check_max_words,
    "max_chars": check_max_chars,
    "letter": check_letter,
    "json": check_json,
}


@scorer(FAMILY, help="the answer has the declared shape: numbered/bullet list, code block, length, letter, JSON")
def score_format(case: Case, gen: Generation) -> list[Check]:
    """The answer has the declared shape: numbered/bullet list, code block, length limit, letter, JSON."""
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
        label = turn_label(idx, max(len(case.turns), len(gen.turns)))
        checks.append(Check(id=cid, passed=passed, reason=label + reason, value=value))
    return checks
