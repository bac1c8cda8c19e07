"""Named things of one kind, en + zh, for relevance's competitor evidence (harness/scorers/offtopic.py):
asked about the Yellow River, answered about the Yangtze; asked about `git stash`, answered about
`git cherry-pick`; 问冷萃咖啡，答的是手冲。

`named_kinds.json` holds the lists: {category: {"domain": ..., "groups": [[member, ...], ...]}}, a group
being one thing under its English and Chinese names. Team members who saw none of the labelled relevance
splits wrote them (60 kinds, 3,769 groups); members with a common other sense ("Java", "Amazon",
小米, "rust", "pandas") were left out. They are matched beside the hand-written lexicon (lexicon.py), not
in its place (topics.named_lexicon): "chocolate chip cookies" adds a baked good and leaves "cookies" found.
Measured on the tuning splits (benchmarks/perf/relevance_checks.py), which decided what stays: people,
works, places, events and the everyday kinds take part in no broad-field verdict (domain ""), since an
answer about Beethoven rightly names Germany and Vienna and a recipe names the kitchen; git commands are
read as code only ("git checkout -b" is how "a git branch" is made); "git commit" is no competitor at all
(undoing one is done with "git reset").
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

KINDS_FILE = Path(__file__).with_name("named_kinds.json")

# Categories read only where code is asked for or shown, as lexicon.CODE ("SELECT", "zip", "grep").
# Git's too: "git checkout -b" is how "a git branch" is made, and a task names several commands.
CODE_KINDS = frozenset({"git_command", "sql_statement", "framework_library", "dev_tool", "shell_command", "python_function_method", "javascript_method",
                        "excel_function", "data_structure_algorithm"})

# Kinds that answers name as what a task needs ("you need your old licence and a passport photo", "带上身份证"):
# another member competes only where the answer opens with it ("办理港澳通行证，…" for a passport).
OPENING_ONLY = frozenset({"document_certificate"})
OPENING_CHARS = 12

# Words of a question asking for a member of the kind: naming another member is then the answer.
ASKED_FOR: dict[str, str] = {
    "named_river": r"\brivers?\b|河|江",
    "named_mountain": r"\bmountains?\b|\bpeaks?\b|\branges?\b|山|峰",
    "named_lake": r"\blakes?\b|湖",
    "named_ocean_sea": r"\bocean|\bseas?\b|海|洋",
    "named_desert": r"\bdeserts?\b|沙漠",
    "named_island": r"\bislands?\b|岛",
    "festival": r"\bfestival|\bholiday|节日|哪个节",
    "battle_war": r"\bbattles?\b|\bwars?\b|战役|战争|哪一战",
    "scientist": r"\bwho\b|\bwhom\b|\bscientists?\b|谁|哪位|科学家",
    "painter": r"\bwho\b|\bwhom\b|\bpainters?\b|\bartists?\b|谁|哪位|画家",
    "composer": r"\bwho\b|\bwhom\b|\bcomposers?\b|谁|哪位|作曲家",
    "writer_poet": r"\bwho\b|\bwhom\b|\bwriters?\b|\bauthors?\b|\bpoets?\b|谁|哪位|作家|诗人|作者",
    "philosopher_thinker": r"\bwho\b|\bwhom\b|\bphilosophers?\b|谁|哪位|思想家|哲学家",
    "singer_band": r"\bwho\b|\bwhom\b|\bsingers?\b|\bbands?\b|谁|哪位|歌手|乐队",
    "novel_book": r"\bbooks?\b|\bnovels?\b|\bread\b|书|小说",
    "film": r"\bfilms?\b|\bmovies?\b|\bwatch\b|电影|影片",
    "university": r"\buniversit|\bcolleges?\b|\bschools?\b|大学|学校",
    "company_brand": r"\bcompan|\bbrands?\b|\bfirms?\b|公司|品牌|牌子",
    "planet_moon": r"\bplanets?\b|\bmoons?\b|行星|卫星",
    "empire_dynasty_era": r"\bempires?\b|\bdynast|\bperiods?\b|\beras?\b|朝代|时期|帝国",
    "sports_event": r"\bevents?\b|\btournaments?\b|\bcompetitions?\b|赛事|比赛",
    "disease_condition": r"\bdiseases?\b|\bconditions?\b|\billness|疾病|什么病|哪种病",
    "medicine": r"\bmedicines?\b|\bdrugs?\b|\bpills?\b|\btake\b|药",
    "coffee_tea_drink": r"\bdrinks?\b|\bcoffees?\b|\bteas?\b|饮料|喝什么|咖啡|茶",
    # not "recipe": "a recipe for banana bread" asks for that bread, not for a dish
    "chinese_dish": r"\bdish|\bfood|\bmeal|\beat\b|菜|食物|美食|吃什么|小吃",
    "western_dish_baked": r"\bdish|\bfood|\bmeal|\beat\b|菜|食物|美食|吃什么|甜点",
    "exercise_workout": r"\bexercises?\b|\bworkouts?\b|\bmoves?\b|\bstretch|动作|运动|锻炼",
    "dog_breed": r"\bbreeds?\b|\bdogs?\b|品种|什么狗",
    "cat_breed": r"\bbreeds?\b|\bcats?\b|品种|什么猫",
    "houseplant_flower": r"\bplants?\b|\bflowers?\b|植物|花",
    "document_certificate": r"\bdocuments?\b|\bpapers?\b|\bbring\b|证件|材料|带什么",
    "finance_product": r"\bproducts?\b|\binvest|\bloans?\b|理财|产品|投资",
    "appliance_gadget": r"\bappliances?\b|\bgadgets?\b|\bbuy\b|电器|买什么",
    "math_shape_formula": r"\bshapes?\b|\bformulas?\b|形状|公式",
    "app_platform": r"\bapps?\b|\bplatforms?\b|\bsoftware\b|软件|应用|平台",
    "board_card_game": r"\bgames?\b|游戏|棋|牌",
    "video_game": r"\bgames?\b|游戏",
    "car_model_brand": r"\bcars?\b|\bbrands?\b|\bmodels?\b|车|品牌",
    "phone_computer_model": r"\bphones?\b|\blaptops?\b|\bcomputers?\b|\bmodels?\b|手机|电脑|笔记本|型号",
    "container_kitchenware": r"\bpans?\b|\bpots?\b|\bcookware\b|\butensils?\b|\bmugs?\b|锅|厨具|杯",
    "exam_test": r"\bexams?\b|\btests?\b|考试",
    "file_format": r"\bformats?\b|格式",
    "music_genre": r"\bgenres?\b|\bmusic\b|\bstyles?\b|音乐|曲风|风格",
    "performing_art_dance": r"\bdances?\b|\bshows?\b|\bperformances?\b|舞|演出|表演|节目",
    "personal_care_cosmetic": r"\bproducts?\b|护肤品|化妆品|用什么",
    "pet_small_animal": r"\bpets?\b|\banimals?\b|宠物|动物",
    "transport_service": r"\btransport|\bget (?:there|to)\b|\bhow (?:do|can|should) i get\b|交通|怎么去|坐什么",
}


@lru_cache(maxsize=1)
def named_groups() -> dict[str, tuple[str, tuple[tuple[str, ...], ...]]]:
    """category -> (domain, groups), from named_kinds.json."""
    data = json.loads(KINDS_FILE.read_text(encoding="utf-8"))
    return {cat: (spec.get("domain", ""), tuple(tuple(m.strip() for m in g if m.strip()) for g in spec["groups"]))
            for cat, spec in data.items()}
