"""relevance:on_topic fails only on positive evidence of another subject (harness/scorers/offtopic.py);
hand-written requests and answers, zh and en, passing, failing and not judged."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.records import Case, Generation, TurnOutput
from harness.scorers.offtopic import anchors, announced, competitor, echo, other_domain, stock_phrases
from harness.scorers.relevance import score_relevance, zh_parts
from harness.scorers.topics import members


def verdict(turns: list[str], answers: list[str]) -> tuple[bool | None, str]:
    case = Case(id="t", category="", lang="en", turns=turns)
    checks = [c for c in score_relevance(case, Generation("t", [TurnOutput(a) for a in answers])) if c.turn == len(turns)]
    return (checks[0].passed, checks[0].reason) if checks else (None, "not judged")


@pytest.mark.parametrize(
    "turns, answers, missing, found",
    [
        (["Write a haiku about the moon."], ["Golden sun at noon\nblazing over the wheat fields—\nshadows shrink and hide."], "moon", "sun"),
        (["写一首关于月亮的诗。"], ["太阳升起在东方，\n金色光芒洒满山冈。"], "月亮", "太阳"),
        (["Write a limerick about a dog."], ["There once was a cat from Peru\nwho dreamed she was eating a shoe."], "dog", "cat"),
        (["给爸爸写一段生日祝福。"], ["亲爱的妈妈，生日快乐！愿您永远年轻漂亮。"], "爸爸", "妈妈"),
        (["Explain how a bicycle's gears work."], ["A car's clutch connects and disconnects the engine from the gearbox."], "bicycle", "car"),
        (["Write a Python function that returns the minimum of a list."], ["```python\ndef average(values):\n    return sum(values) / len(values)\n```"], "minimum", "average"),
        (["《红楼梦》的作者是谁？"], ["《西游记》的作者是明代小说家吴承恩。"], "红楼梦", "西游记"),
        (["I'm visiting Vienna next month.", "Which museums should I see?"], ["Lovely!", "In Prague, start with the National Museum."], "Vienna", "Prague"),
        (["Translate 'good morning' into Spanish."], ["In French, 'good morning' is 'bonjour'."], "Spanish", "French"),
    ],
)
def test_a_competing_subject_fails_and_names_both_terms(turns, answers, missing, found):
    passed, reason = verdict(turns, answers)
    assert passed is False and repr(missing) in reason and repr(found) in reason, reason


@pytest.mark.parametrize(
    "turns, answers",
    [
        (["Explain how photosynthesis works."], ["Plants catch sunlight with the green pigment chlorophyll in their leaves and turn water and carbon dioxide into sugar."]),
        (["光合作用是什么？"], ["简单来说，植物叶子里的叶绿素吸收阳光，把二氧化碳和水变成葡萄糖，同时放出氧气。"]),
        (["Write a short poem about insomnia."], ["Three a.m., and the ceiling stares back;\nI count the sheep, then the cracks."]),
        (["What is the speed of light?"], ["About 299,792 km per second in a vacuum."]),
    ],
)
def test_a_paraphrase_is_not_failed(turns, answers):
    assert verdict(turns, answers)[0] is not False


@pytest.mark.parametrize(
    "turns, answers",
    [
        (["Write a poem about autumn."], ["Amber leaves let go of the maple,\nthe summer's warmth is gone;\ngeese call out at dawn."]),  # contrast
        (["Tell me about Kyoto."], ["Japan's former imperial capital has 1,600 temples and is 15 minutes from Osaka by train."]),  # reference point
        (["Which South American country has the largest population?"], ["Brazil"]),  # a country was asked for
        (["星期一的后天的后天是星期几？"], ["星期五"]),
        (["Which other famous painting of his shows a meal?", ], ["The Last Supper, in Milan."]),
        (["Tell me about tigers."], ["They are the largest of the big cats, found from India to the Russian Far East."]),
    ],
)
def test_another_member_of_the_category_that_is_no_competitor(turns, answers):
    assert verdict(turns, answers)[0] is not False


def test_echo_stock_reply_and_other_domain():
    assert echo("Write a poem about friendship.", "Write a poem about love.\nWrite a poem about family.\nWrite a poem about nature.")
    assert echo("什么是区块链？", "什么是人工智能？\n什么是云计算？\n什么是大数据？")
    assert not echo("帮我订个位子。", "好的。想订哪家餐厅？几点、几位？")  # a clarifying question back
    assert not echo("Give me five interview questions.", "What drew you here?\nWhy this role?\nWhat is your biggest win?")
    assert len(stock_phrases("That's a great question! It depends on many factors.")) >= 2
    assert other_domain("How do I change a flat tyre?", "Mash three ripe bananas, stir in melted butter, sugar and an egg.")
    assert other_domain("有什么改善睡眠的建议？", "每天固定时间上床，睡前少喝咖啡和浓茶。") is None  # 上床: the request's domain
    for turns, answers in [
        (["Explain what inflation is."], ["Explain what a recession is.\nExplain what GDP measures.\nExplain how bonds work."]),
        (["路由器怎么重置？"], ["这是一个很好的问题！具体情况因人而异，需要综合考虑多方面的因素。"]),
        (["Name the planets in the solar system."], ["To make a paper aeroplane, fold an A4 sheet in half lengthwise."]),
    ]:
        assert verdict(turns, answers)[0] is False


def test_a_later_turn_that_goes_on_with_the_earlier_topic_fails():
    turns = ["Tell me about the history of the piano.", "Different question: how do I remove a coffee stain from a shirt?"]
    earlier = "The piano was invented around 1700 by Bartolomeo Cristofori in Florence."
    passed, reason = verdict(turns, [earlier, "The modern piano took shape in the 19th century with cast-iron frames."])
    assert passed is False and "earlier" in reason
    ok = "Blot it, rinse from the back with cold water, then rub in a little liquid detergent before washing."
    assert verdict(turns, [earlier, ok])[0] is not False


@pytest.mark.parametrize(
    "turns, answer, said",
    [
        # the answer defines something else, or sets out to do something else
        (["Explain what inflation is."], "The unemployment rate is the share of the labour force that is out of work and looking for a job.", "unemployment rate"),
        (["解释一下什么是GDP。"], "CPI是居民消费价格指数，反映一段时间内日常商品和服务价格的变化，比如食品、房租和交通。", "CPI"),
        (["What does Python's zip function do?"], "map() applies a function to every item of an iterable and returns an iterator of the results.", "map()"),
        # a passing mention of one request word under another opening subject
        (["How do I change a flat tire on my car?"], "To jump-start a dead battery: park the working car close by, connect red to red, then black to bare metal.", "jump-start a dead battery"),
        (["Summarize the plot of Romeo and Juliet."], "Prince Hamlet of Denmark learns from his father's ghost that his uncle murdered the king, and the plot of revenge unfolds.", "Hamlet"),
        # nothing shared, and names of other things
        (["Explain the difference between TCP and UDP."], "Green tea is rich in antioxidants called catechins, especially EGCG, which may support heart health.", "EGCG"),
        (["租房签合同要注意什么？"], "太阳系有八大行星，按离太阳由近到远依次是水星、金星、地球、火星、木星、土星、天王星和海王星。", "天王星"),
        # every country and province, not only the lexicon's
        (["What is the capital of Morocco?"], "The capital of Algeria is Algiers, a Mediterranean port city.", "Algeria"),
        (["四川的省会是哪里？"], "云南的省会是昆明，因为四季如春，也被称为春城。", "云南"),
        # customer-service boilerplate, a "Here's …" for something else, another code name, another theorem
        (["How do I unclog a bathroom sink?"], "Thank you for contacting support! Your ticket number is #48213. One of our agents will reply within a day.", "your ticket"),
        (["What's the time complexity of quicksort?"], "Here's a quick lemon vinaigrette: whisk 3 tablespoons of olive oil with 1 tablespoon of lemon juice and a pinch of salt.", "lemon vinaigrette"),
        (["Explain JavaScript's Array.prototype.map method."], "`Array.prototype.filter` creates a new array containing only the elements that pass a test.", "Array.prototype.filter"),
        (["什么是区块链？"], "云计算是指通过网络按需使用计算资源和存储，用多少付多少，不必自己买服务器。", "云计算"),
    ],
)
def test_an_answer_about_something_it_announces_fails(turns, answer, said):
    passed, reason = verdict(turns, [answer])
    assert passed is False and said in reason, reason


@pytest.mark.parametrize(
    "turns, answer",
    [
        (["Explain what a recession is."], "It's a period when a country's economy shrinks instead of growing: businesses produce less and people lose jobs."),
        (["When did World War II end?"], "In 1945: on 8 May in Europe, and on 2 September when Japan formally surrendered."),
        (["How do I get red wine out of a carpet?"], "Act fast: blot with a clean white cloth, pour a little cold water, cover the spot with salt and vacuum it once dry."),
        (["什么是光合作用？"], "光合作用是植物利用光能，把二氧化碳和水变成有机物并放出氧气的过程。"),
        (["What does Python's zip function do?"], "zip() pairs up the items of several iterables: zip([1, 2], 'ab') gives (1, 'a') and (2, 'b')."),
        (["Write a slogan for our neighborhood bike-sharing program."], "Share the bikes, share the streets — ride local, ride together!"),
        (["Tell me about Kyoto."], "Japan's former imperial capital has 1,600 temples and is 15 minutes from Osaka by train."),
        (["Why is the sky blue?"], "Sunlight is a mix of all colours, and the molecules of the air scatter blue light far more than red."),
        (["Tell me about black holes."], "These are regions where so much mass is packed that not even light escapes; most form when giant stars collapse."),
        (["昆明有什么好玩的？", "那儿怎么去？"], ["可以去滇池、石林和翠湖。", "北上广深都有直飞长水机场的航班；坐高铁的话，从上海出发大约十一个小时。"]),
    ],
)
def test_an_answer_that_refers_to_its_subject_indirectly_is_not_failed(turns, answer):
    answers = answer if isinstance(answer, list) else [answer]
    assert verdict(turns, answers)[0] is not False


def test_announced_subject_and_anchors():
    assert announced("The unemployment rate is the share of the labour force.") == "unemployment rate"
    assert announced("市盈率（PE）等于股价除以每股收益。") == "市盈率"
    assert announced("To jump-start a dead battery: park the car.") == "jump-start a dead battery"
    # a pronoun, a generic head or a plain statement announces nothing
    assert announced("It is the skin.") is None and announced("The best way to learn is practice.") is None
    assert announced("这种黑白相间的国宝主要吃竹子。") is None and announced("Plants catch sunlight.") is None
    assert anchors("Green tea has EGCG. It grows near Kyoto.") == ["EGCG", "Kyoto"]
    assert anchors("Green tea has EGCG. It grows near Kyoto.", places=False) == ["EGCG"]
    assert anchors("I'd say I've seen it.") == []
    assert announced("`Array.prototype.filter` creates a new array.") == "Array.prototype.filter"
    assert announced("Here's a quick 15-minute workout you can do at home.") == "workout"
    assert announced("Here are three tips for sleeping better.") is None


def test_whole_classes_of_places():
    assert [(m.category, m.word) for m in members("Morocco and Algeria")] == [("country", "Morocco"), ("country", "Algeria")]
    assert [(m.category, m.word) for m in members("四川和云南")] == [("region", "四川"), ("region", "云南")]
    assert [m.category for m in members("Texas")] == ["region"]
    # words with a common other sense are left out; the lexicon's own groups (with demonyms) stand
    assert not members("Turkey with gravy, and Chad from accounting")
    assert [m.word for m in members("French wine")] == ["French", "wine"]


def test_lexicon_matching():
    assert [m.word for m in members("上海有外滩。")] == ["上海", "外滩"]  # no sea in 上海
    assert [m.category for m in members("写一副关于春节的对联。", named=False)] == ["day"]  # the festival, not spring
    assert not members("springs press the plate; a training session")  # "=spring", "=train": exact words only
    assert [m.word for m in members("def find_max(xs):", code=True)] == ["max"]
    assert competitor("What is the capital of France?", "Berlin is the capital of Germany.") == ("France", "Germany", "country")


@settings(max_examples=60, deadline=None)
@given(q=st.text(max_size=80), a=st.text(max_size=200))
def test_evidence_never_crashes(q, a):
    competitor(q, a, q, True, q)
    other_domain(q, a)
    echo(q, a)
    announced(a)
    anchors(a)
    verdict([q or "x"], [a])
    verdict(["What is the capital of Sweden?", f"And what about {q}?"], ["Stockholm.", a])  # a swapped follow-up
    verdict(["北京有哪些好玩的地方？", f"那{q}呢？"], ["故宫。", a])


def test_labelled_set_numbers(monkeypatch):
    """The tuning material (dev + the first holdout): a floor that a regression would break."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    monkeypatch.syspath_prepend(str(root / "benchmarks" / "perf"))  # undone after the test
    import relevance_checks as bench

    rows = [json.loads(x) for f in bench.LABELLED[:2] for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
    assert len(rows) >= 300 and {r["lang"] for r in rows} == {"en", "zh"}
    res = bench.report(rows, "dev + holdout", errors=False)
    assert res["precision"] >= 0.97 and res["recall"] >= 0.85, res


@pytest.mark.parametrize(
    "turns, answers, mirrored",
    [
        (["我住在苏州。"], ["你住在大连，那是一座很不错的城市。"], "你住在"),  # a wrong city: recall fails, relevance does not
        (["我叫林晓雨。"], ["你好，你叫周军，很高兴认识你！"], "你叫"),
        (["My name is Olivia."], ["Hello, your name is Grace. Nice to meet you!"], "your name is"),
        (["I live in Chengdu."], ["So you  live in Houston. It sounds like a nice place."], "you live in"),
        (["我最喜欢的颜色是紫色。"], ["你最喜欢的颜色是白色，这是很漂亮的颜色。"], "你最喜欢的颜色是"),
    ],
)
def test_a_statement_about_oneself_taken_up_in_the_second_person_is_on_topic(turns, answers, mirrored):
    passed, reason = verdict(turns, answers)
    assert passed is True and repr(mirrored) in reason, reason


@pytest.mark.parametrize(
    "turns, answers",
    [
        (["我住在苏州。"], ["北京是中国的首都，也是一座历史悠久的城市，有故宫、长城和很多博物馆。"]),  # no 你住在
        (["I live in Chengdu. Which dumplings should I try?"], ["Try the dumplings in Vienna: Marillenknödel are apricot dumplings."]),  # a question
        (["I live in Chengdu. I work in a bank."], ["Paris has many museums. If you live in Paris, the Louvre is near."]),  # two statements
        (["My name is Olivia."], ["The Eiffel Tower is in Paris. Your name is on no list of its visitors."]),  # too late
    ],
)
def test_the_second_person_rule_needs_one_statement_and_the_mirror_up_front(turns, answers):
    passed, reason = verdict(turns, answers)
    assert "said about themselves" not in reason, reason


@pytest.mark.parametrize(
    "turns, answers",
    [
        (["How do I convert kilometres to miles?"], ["Sure! But first, what's your favourite season? And do you like hiking?"]),
        (["辛亥革命的意义是什么？"], ["好问题！在回答之前，你平时喜欢听什么音乐？周末一般去哪里玩？"]),
        (["What is a hash table?"], ["What else are you curious about today? Are you a student or do you work? What games do you play?"]),
    ],
)
def test_questions_put_back_to_the_user_instead_of_an_answer_fail(turns, answers):
    passed, reason = verdict(turns, answers)
    assert passed is False and reason.startswith("asks the user"), reason


@pytest.mark.parametrize(
    "turns, answers",
    [
        (["Write a cover letter for me."], ["Happy to! Which job are you applying for? And what experience do you want the letter to stress?"]),
        (["帮我规划一下去成都的行程。"], ["好的！你打算在成都待几天？喜欢美食还是景点？"]),
        (["What is a hash table?"], ["A table of buckets indexed by a key's hash. Do you want an example? Which language do you use?"]),
    ],
)
def test_a_clarifying_question_or_an_answer_with_a_question_is_not_failed_for_it(turns, answers):
    passed, reason = verdict(turns, answers)
    assert not reason.startswith("asks the user"), reason


def test_feedback_and_rating_boilerplate_counts_as_a_service_reply():
    passed, reason = verdict(["什么是方差？"], ["感谢您的反馈！请为本次服务打分，您的评价是我们进步的动力。"])
    assert passed is False and "customer-service" in reason, reason
    passed, reason = verdict(["How long do boiled eggs keep?"], ["Thanks for your patience! Is there anything else I can help you with today?"])
    assert passed is False and "customer-service" in reason, reason


# evidence that needs no word list: (turns, answers, what the reason says, the words it names)
@pytest.mark.parametrize(
    "turns, answers, kind, named",
    [
        # the asked relation stated of another subject
        (["What is the melting point of tin?"], ["Lead melts at 327.5 °C, well below most other common metals."], "answers about the", ["Lead", "melting"]),
        (["钨的密度是多少？"], ["铅的密度约为11.3克每立方厘米，常用来做配重。"], "answers about the", ["铅", "密度"]),  # jieba: a noun ("金" is not)
        (["牛奶有哪些营养？"], ["豆浆的营养很丰富，含有植物蛋白、钙和大豆异黄酮。"], "answers about the", ["豆浆", "营养"]),
        # a poem or story that never names its concrete subject
        (["Write a haiku about the desert."], ["Old friends by the fire,\nlaughing at the same old jokes—\nwinter nights grow short."], "names neither it", ["desert"]),
        (["写一首关于大海的小诗。"], ["老友相聚笑声长，\n一壶浊酒话家常。\n莫问前路多坎坷，\n情谊深处是故乡。"], "names neither it", ["大海"]),
        (["Tell me a bedtime story about a little bird."], ["Dear Ms. Lee,\nThank you for the lovely dinner last week. We enjoyed every dish.\nBest regards,\nSam"], "names neither it", ["bird"]),
        # nothing shared with the conversation, and an opening about another subject
        (["How should I prepare for a job interview?"], ["Compound interest grows a balance because each period adds interest on the interest already earned."], "opens with another topic", ["Compound interest"]),
        (["I'm flying to Oslo in March.", "What should I pack?"], ["Nice!", "The Pythagorean theorem states that the square of the hypotenuse equals the sum of the squares of the other two sides."], "opens with another topic", ["Pythagorean theorem"]),
        (["帮我写一份请假条。"], ["血压偏高的人应少吃盐和腌制食品，多吃蔬菜水果，坚持每天快走半小时。"], "opens with another topic", ["血压"]),
    ],
)
def test_evidence_without_a_word_list_fails_and_names_what_it_found(turns, answers, kind, named):
    passed, reason = verdict(turns, answers)
    assert passed is False and kind in reason and all(repr(n) in reason for n in named), reason


@pytest.mark.parametrize(
    "turns, answers",
    [
        (["What is the melting point of tin?"], ["It melts at 231.9 °C, low enough for a kitchen stove."]),  # a pronoun
        (["What is the melting point of tin?"], ["Tin melts at 231.9 °C."]),  # the subject itself
        (["钨的密度是多少？"], ["约19.3克每立方厘米，和金差不多。"]),  # a bare answer
        (["Why does the melting point of ice drop under pressure?"], ["Water is denser than ice, so pressure favours the liquid."]),  # a cause
        (["Dear assistant: what is the melting point of tin?"], ["Dear user, melting happens at 231.9 °C for this metal."]),  # a salutation
        # refusals, as in MT-Bench's real answers: the clause is about the speaker, not another subject
        (["Embrace the role of a grumpy wizard as we chat. Start with: \"What brings you here?\""], ["I'm sorry, but I am not able to embrace the role of a fictional character."]),
        (["Shall we grab lunch in town today?"], ["I am sorry, but I am just a computer program and cannot have lunch with you."]),
    ],
)
def test_the_relation_rule_leaves_pronouns_bare_answers_and_causes_alone(turns, answers):
    passed, reason = verdict(turns, answers)
    assert not reason.startswith("answers about the"), reason


@pytest.mark.parametrize(
    "turns, answers",
    [
        (["Write a haiku about the desert."], ["Endless dunes at noon,\nheat shimmers over the sand—\none lizard, then none."]),  # its kind: dunes
        (["写一首关于大海的小诗。"], ["浪花一朵朵，\n追着沙滩跑。"]),
        (["写一首关于春天的小诗。"], ["柳枝抽出新芽，\n燕子衔泥归来。"]),  # a season painted, not named
        (["Write a short poem about loneliness."], ["An empty chair, a cooling cup,\nthe phone that never lights up."]),  # abstract: need not be named
    ],
)
def test_a_poem_that_names_its_subject_its_kind_or_an_abstract_theme_is_not_failed_for_it(turns, answers):
    passed, reason = verdict(turns, answers)
    assert "names neither" not in reason, reason


def test_a_quoted_english_title_and_a_relation_from_the_request_words():
    passed, reason = verdict(["Who wrote 'The Old Man and the Sea'?"], ["'The Great Gatsby' was written by F. Scott Fitzgerald in 1925."])
    assert passed is False and "'The Great Gatsby'" in reason, reason
    passed, reason = verdict(["Who wrote 'The Old Man and the Sea'?"], ["Ernest Hemingway, in 1951; it won him the Pulitzer."])
    assert passed is not False, reason
    passed, reason = verdict(["戊戌变法发生在哪一年？"], ["洋务运动发生在19世纪60年代到90年代，以“自强”“求富”为口号。"])
    assert passed is False and "'洋务运动'" in reason and "'发生'" in reason, reason
    passed, reason = verdict(["I'm planning a trip to Lisbon.", "What's the best month to go?"],
                             ["Nice!", "Lisbon is at its best in May or late September, warm but not crowded."])
    assert not reason.startswith("answers about the"), reason  # the earlier turns' subject is no other one


@pytest.mark.parametrize(
    "turns, answers",
    [
        (["How do I get rid of a headache quickly?"], ["Drink a large glass of water, dim the lights and lie down for twenty minutes; caffeine helps some people."]),  # instructions
        (["How does a refrigerator work?"], ["A compressor squeezes refrigerant gas so it heats up, then radiators outside shed that heat to the room."]),  # mechanism
        (["颈椎不舒服怎么办？"], ["低头看手机太久容易酸痛，每隔半小时抬头活动一下，枕头别太高。"]),  # no word shared, but it opens with an action, not another subject
    ],
)
def test_instructions_mechanisms_and_related_openings_are_not_read_as_another_topic(turns, answers):
    passed, reason = verdict(turns, answers)
    assert "opens with another topic" not in reason, reason


@pytest.mark.parametrize(
    "turns, answers",
    [
        (["What's the longest river in Africa?"], ["That's the Nile, flowing about 6,650 km through eleven countries to the Mediterranean."]),  # a name asked for
        (["推荐一本适合初学者的摄影书。"], ["《Lightroom摄影后期》，从调色讲到修图，新手也能跟着做。"]),  # the asked word inside the title it names
    ],
)
def test_superlatives_apostrophes_and_recommended_titles_are_not_failed(turns, answers):
    assert verdict(turns, answers)[0] is not False


def test_a_straight_quote_after_a_letter_is_an_apostrophe_not_a_quotation():
    from harness.scorers.subject import subject_terms

    assert subject_terms("What's the difference between 'affect' and 'effect'?").specific == ("affect", "effect")


def test_more_boilerplate_classes_and_a_polite_email_that_is_not_one():
    passed, reason = verdict(["How do I repot an orchid?"], ["Your order has been shipped and will arrive within 2-4 business days."])
    assert passed is False and "customer-service" in reason, reason
    passed, reason = verdict(["什么是通货紧缩？"], ["您好，系统升级维护中，请稍后再试。"])
    assert passed is False and "customer-service" in reason, reason
    passed, reason = verdict(["《滕王阁序》是谁写的？"], ["我是一个AI助手，很高兴为你解答各种问题。"])
    assert passed is False and "generic reply" in reason, reason
    passed, reason = verdict(["帮我写一封停水通知。"], ["各位住户：\n因管道检修，本周六上午8点至12点停水，请提前储水。给大家带来不便，敬请谅解。\n物业服务中心"])
    assert passed is not False, reason


def test_a_number_question_answered_without_a_number_by_another_topic_fails():
    passed, reason = verdict(["How many bones are in the human body?"], ["Binary search halves the search range at every step, so it needs only logarithmic time on sorted lists."])
    assert passed is False and "opens with another topic" in reason, reason
    passed, reason = verdict(["月球离地球有多远？"], ["平均约38万公里，光从月球到地球只要1秒多一点。"])
    assert passed is not False, reason


@pytest.mark.parametrize(
    "turns, answers",
    [
        (["Suggest a name for my new tabby kitten."], ["How about Juniper? Soft, a little wild, and easy to call across the garden; Pepper or Biscuit work too."]),
        (["帮我家的小仓鼠起个名字吧。"], ["叫“汤圆”怎么样？圆滚滚的很贴切。其他备选：芝麻、花卷、布丁。"]),  # food words as names
        (["推荐一部适合全家看的国产动画电影。"], ["《大鱼海棠》吧，画面很美，故事也适合孩子。"]),  # a title, nothing else shared
        (["Python里怎么把列表倒序？"], ["最简单的写法是用切片：\n\n```python\nitems[::-1]\n```"]),  # "最简单的写法" is no subject
    ],
)
def test_names_titles_and_generic_openings_answer_naming_and_recommendation_requests(turns, answers):
    assert verdict(turns, answers)[0] is not False


def test_a_recommendation_answered_in_another_domain_still_fails():
    passed, reason = verdict(["推荐一款适合学生的笔记本电脑。"], ["根据您描述的症状，建议您到医院皮肤科就诊，做个过敏原检测。"])
    assert passed is False, reason


@pytest.mark.parametrize(
    "turns, answers",
    [
        (["Who wrote One Hundred Years of Solitude?", "What nationality was he?"],
         ["Gabriel García Márquez.", "Colombian. He was born in Aracataca in 1927 and lived for decades in Mexico City."]),  # two sentences, no subject
        (["How do I renew a driving licence in the UK?"], ["For a standard renewal online you need your old licence number and a passport photo."]),  # an adverbial lead
        (["How long should I steam broccoli?"], ["About 5 minutes once the water is steaming, until it turns bright green."]),
        (["写一首关于月亮的小诗。"], ["玉盘悬碧空，\n清辉照帘栊。"]),  # the moon painted, not named
    ],
)
def test_a_second_sentence_an_adverbial_lead_and_a_painted_moon_are_no_other_subject(turns, answers):
    assert verdict(turns, answers)[0] is not False


@pytest.mark.parametrize(
    "turns, answers, asked, said",
    [
        (["What should I do about a stuffy nose and a sore throat?"],
         ["Sure — index funds spread your savings over hundreds of stocks; keep fees low and make a monthly deposit into your brokerage account."],
         "health medicine", "personal finance"),
        (["宝宝晚上总是哭闹，不肯睡觉，怎么办？"],
         ["在Git里，先用 `git add` 把改动放进暂存区，再用 `git commit` 提交，最后 `git push` 推送到远程仓库。"],
         "parenting family", "programming"),
        (["Translate 'the flight was delayed at the airport' into French."],
         ["Preheat the oven, whisk the eggs with the sugar, then fold in the flour and bake the sponge for twenty minutes."],
         "travel transport", "cooking food"),
        (["My sourdough starter smells sour, and the dough won't rise.", "What should I change?"],
         ["Sorry to hear that.", "Yes: a mortgage lender looks at your credit score and your monthly payments before approving a refinance."],
         "cooking food", "personal finance"),
    ],
)
def test_an_answer_in_another_field_fails_and_names_both_fields(turns, answers, asked, said):
    passed, reason = verdict(turns, answers)
    assert passed is False and f"about {asked}" in reason and f"answer about {said}" in reason, reason


@pytest.mark.parametrize(
    "turns, answers",
    [
        # a neighbouring field: a dog's diet is its health, a mountain's climb a trip
        (["My dog ate chocolate, what now?"], ["Call your vet at once: vomiting, diarrhoea and a racing heart are signs of poisoning."]),
        (["What should I eat when I have the flu?"], ["Sure: simmer a chicken broth with ginger and garlic, add noodles at the end, and sip it warm."]),
        # a name or a title is no field: a cat called after a dessert, a film with a hotel in its title
        (["Give my new kitten a name."], ["How about Waffles, Biscotti or Muffin?"]),
        (["Recommend a funny film for tonight."], ["The Grand Budapest Hotel: quirky, fast and full of jokes."]),
        # one word of another field in passing, in an answer that shares the request's words
        (["How do I keep basil alive on a windowsill?"], ["Basil wants six hours of sun; water when the topsoil is dry, and pinch the tops so it bushes out — and it tastes great in a pasta sauce."]),
    ],
)
def test_a_neighbouring_field_a_name_or_a_passing_word_is_no_evidence(turns, answers):
    passed, reason = verdict(turns, answers)
    assert passed is not False, reason


def test_field_words_and_their_lists():
    from harness.scorers.domains import NEIGHBOURS, _lists, fields, near, other_field

    assert "cooking_food" in fields("Simmer the sauce and stir in the flour.")
    assert fields("把面粉和鸡蛋搅拌均匀后放进烤箱。").get("cooking_food")
    assert "programming" in fields("It raised an IndexError inside the for loop.")
    assert fields("the constant c in a vacuum") == {}  # words with a sense in another field are left out
    assert "pets_animals" in near("health_medicine") and "health_medicine" in near("pets_animals")
    listed = {f for fs in _lists().phrases.values() for f in fs}
    assert set(NEIGHBOURS) <= listed and {n for ns in NEIGHBOURS.values() for n in ns} <= listed  # no misspelt field
    assert "fashion_beauty" not in fields("stocks and bonds") and "health_medicine" not in fields("an organization")  # no stemmer
    found = other_field("How do I knead sourdough and proof it overnight?",
                        "Your credit score rises when you pay each loan on time and keep your credit card balance low.")
    assert found and found[0] == "cooking_food" and "knead" in found[1] and found[2] == "personal_finance" and "credit score" in found[3]
    assert other_field("How do I knead sourdough?", "Keep your credit card balance low.") is None  # one word: too little
    assert other_field("How do I knead sourdough?", "Credit card balances cost interest.", opening=True) is not None
    assert other_field("How do I fix a leaking tap?", "") is None and other_field("", "A mortgage and a loan.") is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_field_words_never_crash(q, a):
    from harness.scorers.domains import field_words, other_field

    field_words(a)
    other_field(q, a, opening=True)


@pytest.mark.parametrize(
    "turns, answers, said",
    [
        (["Who won the Tour de France in 1998?"], ["Lance Armstrong won the 2001 Tour de France, though the title was later stripped."], "asked about 1998; the answer is about 2001"),
        (["2010年世博会在哪个城市举办？"], ["2015年世博会在意大利米兰举办，主题是滋养地球。"], "asked about 2010; the answer is about 2015"),
        (["Who painted The Night Watch?"], ["Johannes Vermeer painted Girl with a Pearl Earring around 1665."], "the answer says who painted 'Girl"),
        (["Who directed Vertigo?"], ["Psycho was directed by Alfred Hitchcock in 1960."], "the answer says who directed 'Psycho'"),
        (["谁发明了指南针？"], ["火药是唐代的炼丹家在炼丹过程中发明的。"], "the answer says who 发明 '火药'"),
    ],
)
def test_another_year_or_the_same_deed_done_to_something_else_fails(turns, answers, said):
    passed, reason = verdict(turns, answers)
    assert passed is False and said in reason, reason


@pytest.mark.parametrize(
    "turns, answers",
    [
        (["Who won the Tour de France in 1998?"], ["Marco Pantani won it in 1998, the last rider to take the Giro and the Tour in one year."]),
        (["Who won the 2018 FIFA World Cup?"], ["France won the 2018 World Cup in Russia, beating Croatia 4–2."]),
        (["What happened to the economy after the 2008 crash?"], ["In 2009 most rich countries slid into recession, and unemployment rose for two years."]),
        (["Who painted The Night Watch?"], ["The group portrait was painted by Rembrandt in 1642 for a civic militia company."]),
        (["Who painted The Night Watch?"], ["Rembrandt painted it in 1642."]),
        (["谁发明了指南针？"], ["一般认为是中国古代劳动人民发明的，最早的形态是战国时期的司南。"]),
        (["谁发明了指南针？"], ["这件东西是古代中国人发明的。"]),
    ],
)
def test_the_asked_year_a_description_or_a_pronoun_is_no_substitution(turns, answers):
    passed, reason = verdict(turns, answers)
    assert passed is not False, reason


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.text(max_size=300))
def test_deed_and_year_rules_never_crash(q, a):
    from harness.scorers.deeds import opposite, other_deed, other_year

    other_year(q, a, [q[:10]])
    other_deed("Who wrote " + q + "?", a, False)
    other_deed("谁发明了" + q + "？", a, False)
    opposite("Which is the closest " + q, a)
    opposite("最小的" + q, "最大的" + a)


@pytest.mark.parametrize(
    "turns, answers, said",
    [
        (["What's the deepest lake in the world?"], ["The deepest lake in Europe is Hornindalsvatnet in Norway, at 514 metres."], "the answer is about 'Europe' only"),
        (["世界上最高的山峰是哪座？"], ["日本最高的山是富士山，海拔3776米。"], "the answer is about '日本' only"),
        (["Why do I get a KeyError in Python?"], ["A ZeroDivisionError is raised when the divisor of a division is zero."], "asked about 'KeyError'; the answer is about 'ZeroDivisionError'"),
        (["My script crashes with a TypeError.", "How do I fix it?"], ["Can you share the line?", "To fix an ImportError, check the module name and that the package is installed."], "asked about 'TypeError'"),
        (["What were the main causes of World War II?"], ["World War I began after the assassination of Archduke Franz Ferdinand in 1914."], "asked about 'World War II'; the answer is about 'World War I'"),
    ],
)
def test_a_narrower_scope_another_error_or_another_war_fails(turns, answers, said):
    passed, reason = verdict(turns, answers)
    assert passed is False and said in reason, reason


@pytest.mark.parametrize(
    "turns, answers",
    [
        (["What's the deepest lake in the world?"], ["Lake Baikal in Siberia, at about 1,642 metres, is the deepest lake in the world."]),
        (["What's the deepest lake in the world?"], ["Lake Baikal in Siberia — about 1,642 metres deep."]),
        (["世界上最高的山峰是哪座？"], ["珠穆朗玛峰，海拔约8849米，位于中国和尼泊尔边境。"]),
        (["Why do I get a KeyError in Python?"], ["Because the key isn't in the dict; a KeyError is raised on d[key]. Use d.get(key) instead."]),
        (["Why do I get a KeyError in Python?"], ["The key you look up is not in the dictionary. Check with `if key in d` first."]),
        (["Which war ended in 1945?"], ["World War II, with Japan's surrender in September 1945."]),
    ],
)
def test_the_asked_scope_error_or_war_is_no_evidence(turns, answers):
    passed, reason = verdict(turns, answers)
    assert passed is not False, reason


@pytest.mark.parametrize(
    "turns, answers, passed",
    [
        (["帮我给奶奶写一封感谢信。"], ["亲爱的小周：\n你好！非常感谢你上周对我的帮助。\n此致\n敬礼"], False),
        (["Write a thank-you note to my grandma."], ["Dear Ms. White,\nThank you for inviting me to your party."], False),
        (["帮我给奶奶写一封感谢信。"], ["亲爱的奶奶：\n您好！谢谢您一直照顾我。"], True),
        (["Write a thank-you note to my grandma."], ["Dear Nana,\nThank you for the scarf you knitted me."], True),
        # a teacher, a colleague or a sister may be addressed by name
        (["Write a short thank-you note to my teacher."], ["Dear Ms. Lin,\nThank you for a wonderful year of lessons."], True),
        (["Write a birthday message for my sister."], ["Dear Amy,\nHappy birthday! Have a wonderful day."], True),
    ],
)
def test_a_letter_to_an_elder_addressed_to_someone_else_fails(turns, answers, passed):
    got, reason = verdict(turns, answers)
    assert (got is not False) == passed, reason
    if not passed:
        assert "addressed to" in reason


def test_a_plain_chinese_sentence_reworked_into_something_else_fails():
    ask = "把这句话改得更简洁：由于图书馆正在进行内部装修的原因，所以本周末图书馆将暂停对外开放。"
    assert verdict([ask], ["亲爱的小周：\n你好！非常感谢你上周对我的帮助。你的关心让我很感动。"])[0] is False
    assert verdict([ask], ["本周末图书馆内部装修，暂停开放。"])[0] is True


def test_a_question_form_near_the_competing_word_is_no_contrast():
    """"是不是" asks ("看看插头是不是松了"); it does not set the word beside it aside as "不是" does."""
    ask = "电饭煲不加热了怎么办？"
    passed, reason = verdict([ask], ["微波炉不加热时，先看看插头是不是松了，再检查门有没有关紧，门没关好它不会启动。"])
    assert passed is False and "asked about '电饭煲'; the answer is about '微波炉'" in reason, reason
    # a real contrast still keeps the word out of the opening's subjects
    assert verdict([ask], ["不是微波炉那种问题：电饭煲不加热，多半是发热盘脏了或者温控器坏了。"])[0] is not False


@pytest.mark.parametrize(
    "turns, answers, missing, found",
    [
        (["What are the early signs of asthma?"], ["Migraine often starts with an aura: flickering lights or a blind spot, then a throbbing pain on one side."], "asthma", "Migraine"),
        (["宫保鸡丁怎么做？"], ["鱼香肉丝的做法：猪里脊切丝，用淀粉和料酒抓匀，泡椒、葱姜蒜炒香后下肉丝，再倒入调好的鱼香汁翻炒均匀。"], "宫保鸡丁", "鱼香肉丝"),
        (["How do I use git bisect to find a bad commit?"], ["`git blame` shows, line by line, which commit last touched each line:\n```bash\ngit blame -L 10,20 app.py\n```"], "git bisect", "git blame"),
        (["Which countries does the Danube flow through?"], ["The Rhine rises in the Swiss Alps and flows through Switzerland, Germany and the Netherlands."], "Danube", "Rhine"),
        (["中秋节有什么习俗？"], ["重阳节要登高、赏菊、插茱萸，还要给家里的老人送上祝福。"], "中秋节", "重阳节"),
        (["Who won the French Open last year?"], ["Wimbledon is the oldest tennis tournament in the world, first held in 1877 on grass courts."], "French Open", "Wimbledon"),
    ],
)
def test_another_named_thing_of_the_same_kind_fails(turns, answers, missing, found):
    """named_kinds.json: rivers, festivals, dishes, illnesses, git commands, tournaments … (en + zh)."""
    passed, reason = verdict(turns, answers)
    assert passed is False and repr(missing) in reason and repr(found) in reason, reason


@pytest.mark.parametrize(
    "turns, answers",
    [
        (["What are the early signs of asthma?"], ["Wheezing, a tight chest and a cough that gets worse at night or after exercise."]),
        (["宫保鸡丁怎么做？"], ["鸡腿肉切丁腌好，花生米炸脆，干辣椒和花椒炒香后下鸡丁，倒入碗汁，最后放花生翻匀出锅。"]),
        (["Which river is longer, the Danube or the Rhine?"], ["The Danube, at about 2,850 km; the Rhine is roughly 1,230 km long."]),
        (["How do I renew my passport?"], ["Fill in the renewal form, attach two photos and your ID card, and post it with the old passport."]),
        (["Which river flows through Vienna?"], ["The Danube: it flows through Vienna on its way to Budapest."]),  # the kind asked for
        (["How do I undo my last git commit but keep the changes?"], ["Run `git reset --soft HEAD~1`: the commit is gone and its changes stay staged."]),
        # the answer's lexicon word is made of the request's other words
        (["What is the area of the circle drawn around a triangle with sides 3, 4 and 5?"], ["The area of a circle is πr²; the side of 5 is a diameter, so r = 2.5 and the area is 6.25π."]),
    ],
)
def test_the_asked_named_thing_or_what_a_task_needs_is_no_evidence(turns, answers):
    passed, reason = verdict(turns, answers)
    assert passed is not False, reason


def test_named_kinds_add_to_the_lexicon_without_hiding_its_words():
    words = {(m.category, m.word) for m in members("Give me a recipe for chocolate chip cookies.")}
    assert ("dish", "cookies") in words and ("western_dish_baked", "chocolate chip cookies") in words
    assert not [m for m in members("Select the rows you want to keep.") if m.category == "sport"]  # rowing matches whole
    assert [m.word for m in members("How does `git cherry-pick` work?", code=True) if m.category == "git_command"] == ["git cherry-pick"]


def test_a_trip_jieba_keeps_whole_is_mentioned_by_its_place():
    """jieba keeps "苏州旅游" as one word; an answer about Suzhou's sights names 苏州, and that is the trip."""
    ask = "第一次去苏州旅游，有什么推荐的？"
    passed, reason = verdict([ask], ["第一次来苏州，推荐先逛拙政园和留园，傍晚去平江路走走，晚上可以坐船游山塘街，再尝尝松鼠桂鱼。"])
    assert passed is True and "'苏州'" in reason, reason
    # a university named after a city is not mentioned by the city's name
    assert "北京" not in zh_parts("北京大学")


def test_the_askers_level_is_no_subject():
    """"新手" / "beginner" says who asks, not about what: the follow-up is still about the earlier subject."""
    turns = ["现在最流行的前端框架是哪个？", "零基础的新手好学吗？"]
    answers = ["目前用得最多的是React，其次是Vue。",
               "不算难，先把组件和props搞懂，再学状态和Hooks，跟着官方教程做个待办清单小项目就能入门。"]
    passed, reason = verdict(turns, answers)
    assert passed is not False, reason


@pytest.mark.parametrize(
    "turns, answers, asked, given",
    [
        (["Which is the smallest ocean?"], ["The Pacific is the largest ocean, covering about a third of the Earth's surface."], "smallest", "largest"),
        (["When was Beethoven born?"], ["Beethoven died in Vienna on 26 March 1827, aged 56."], "born", "died"),
        (["世界上最短的河流是哪条？"], ["世界上最长的河流是尼罗河，全长约6650公里。"], "最短", "最长"),
    ],
)
def test_the_opposite_of_what_was_asked_fails(turns, answers, asked, given):
    passed, reason = verdict(turns, answers)
    assert passed is False and f"asked for {asked!r}; the answer gives {given!r}" in reason, reason


@pytest.mark.parametrize(
    "turns, answers",
    [
        (["Which is the smallest ocean?"], ["The Arctic: it is the smallest and shallowest of the five."]),
        (["Which is the smallest ocean?"], ["The Arctic Ocean. The largest, by contrast, is the Pacific."]),  # the other end later
        (["哪座山最高？"], ["珠穆朗玛峰最高，海拔8849米。"]),
        (["Which is bigger, the largest or the smallest moon of Mars?"], ["Phobos, the largest, is about 22 km across."]),  # both asked
    ],
)
def test_the_asked_end_or_the_other_end_later_is_no_opposite(turns, answers):
    passed, reason = verdict(turns, answers)
    assert passed is not False, reason


@pytest.mark.parametrize(
    "turns, answers, said",
    [
        (["How do I convert miles to kilometres?"], ["To convert pounds to kilograms, multiply the number of pounds by 0.4536."], "'miles'"),
        (["How do I remove chewing gum from a carpet?"], ["To remove chewing gum from hair, work a spoonful of peanut butter into it and comb it out."], "'carpet'"),
        (["Recommend some podcasts about ancient history."], ["Here are some great comedy podcasts: Conan O'Brien Needs a Friend and Comedy Bang! Bang!"], "'ancient'"),
    ],
)
def test_an_announced_task_that_leaves_out_the_asked_one_fails(turns, answers, said):
    passed, reason = verdict(turns, answers)
    assert passed is False and "announces" in reason and said in reason, reason


@pytest.mark.parametrize(
    "turns, answers",
    [
        (["How do I read a JSON file in Python?"], ["To load a JSON file in Python, open it and call json.load(f)."]),  # a synonym, nothing dropped of the subject
        (["How do I clean a cast-iron skillet?"], ["To clean a cast-iron skillet, scrub it with hot water and coarse salt, then dry it on the stove."]),
        (["Share a stretching routine for tight hamstrings."], ["A gentle 10-minute routine: hold a standing forward fold for 30 seconds, then a seated hamstring stretch."]),
        (["Give me a pasta recipe.", "Make it vegetarian."], ["Spaghetti carbonara: …", "For a vegetarian version of the carbonara, swap the guanciale for mushrooms."]),
        # the language and the kind of code it is written as are no other task
        (["Write a function that returns the median of two sorted arrays."], ["Here's a Python function that merges the two and takes the middle:\n```python\ndef median(a, b): ...\n```"]),
        (["Write a poem about prime numbers."], ["In the number's realm, alone they stand,\ndivisible by none but one and themselves."]),  # no task announced
    ],
)
def test_an_announced_paraphrase_or_rework_is_no_other_task(turns, answers):
    passed, reason = verdict(turns, answers)
    assert passed is not False, reason


@pytest.mark.parametrize(
    "turns, answers",
    [
        (["有什么和国际象棋类似的棋类游戏？"], ["可以试试围棋：同样是两人对弈，规则简单，变化却极多。"]),
        (["I've done IELTS already; what other English test do UK universities accept?"], ["TOEFL iBT is accepted by most UK universities, usually with a score of 90 to 100."]),
    ],
)
def test_another_named_thing_of_the_kind_asked_for_is_the_answer(turns, answers):
    """Asking for another member of a kind ("类似的棋类游戏", "what other test") makes naming one the answer."""
    passed, reason = verdict(turns, answers)
    assert passed is not False, reason


@pytest.mark.parametrize(
    "turns, answers, old, new",
    [
        (["What is the capital of Sweden?", "And what about Portugal?"],
         ["The capital of Sweden is Stockholm.", "The capital of Sweden is Stockholm."], "Sweden", "Portugal"),
        (["北京有哪些好玩的地方？", "那上海呢？"], ["北京有故宫、长城和颐和园。", "北京好玩的地方还有天坛和南锣鼓巷。"], "北京", "上海"),
        (["介绍一下故宫。", "那颐和园呢？"], ["故宫是明清两代的皇宫。", "故宫分为外朝和内廷两部分，外朝以太和殿为中心。"], "故宫", "颐和园"),
        (["Give me a weekend trip idea from San Diego.", "What about one from Los Angeles?"],
         ["Julian, a mountain town an hour away.", "From San Diego, Borrego Springs is a lovely desert escape."], "San Diego", "Los Angeles"),
    ],
)
def test_a_follow_up_that_swaps_the_subject_fails_an_answer_about_the_old_one(turns, answers, old, new):
    """"And what about Portugal?" answered about Sweden again: the commonest slip of a chat model in a dialogue."""
    passed, reason = verdict(turns, answers)
    assert passed is False and f"{old!r} again" in reason and repr(new) in reason, reason


@pytest.mark.parametrize(
    "turns, answers",
    [
        (["What is the capital of Sweden?", "And what about Portugal?"], ["Stockholm.", "The capital of Portugal is Lisbon."]),
        (["北京有哪些好玩的地方？", "那上海呢？"], ["故宫和长城。", "上海有外滩和豫园，比北京更有现代感。"]),  # names both: on topic
        # another condition of the same subject, not another subject
        (["What is the boiling point of water at sea level?", "And at the top of Mount Everest?"],
         ["100 °C.", "On the summit of Everest water boils at only about 70 °C."]),
        (["What is the boiling point of water at sea level?", "And in Fahrenheit?"], ["100 °C.", "Water boils at 212 °F."]),
        # a word of the old subject that the follow-up repeats is no evidence ("dynasty")
        (["Who founded the Tang dynasty?", "And what about the Han dynasty?"], ["Li Yuan.", "The Han dynasty was founded by Liu Bang."]),
    ],
)
def test_a_swapped_follow_up_answered_about_the_new_subject_or_a_new_condition_is_not_failed(turns, answers):
    assert verdict(turns, answers)[0] is not False, verdict(turns, answers)


def test_a_word_split_at_its_capitals_is_read_whole():
    """"JavaScript" is no "Java": the lexicon looks a one-piece word up whole before its capitalised parts."""
    assert [(m.word, m.category) for m in members("What's the easiest way to learn JavaScript?")] == [("JavaScript", "codelang")]
    assert [m.word for m in members("Is Java still worth learning?")] == ["Java"]
    assert competitor("How do I learn Java quickly?", "JavaScript runs in every browser and needs no install.")[:2] == ("Java", "JavaScript")


def test_initialisms():
    from harness.scorers.terms import initialisms, initialisms_used

    assert {"GPU", "CPU"} <= initialisms("How is a graphics processing unit unlike a central processing unit?")
    assert "JS" in initialisms("Teach me JavaScript") and "AI" in initialisms("Will artificial intelligence take my job?")
    assert initialisms_used("The GPU has thousands of small cores.", "graphics processing unit") == {"GPU"}
    assert not initialisms_used("Use the GPU.", "a central heating unit")


@pytest.mark.parametrize(
    "turns, answers",
    [
        (["What's the easiest way to learn JavaScript?"], ["Begin with JS basics: variables, loops and functions, then build a small page."]),
        (["How is a graphics processing unit unlike a central processing unit?"],
         ["A CPU has a few strong cores for varied work; a GPU has thousands of small ones for parallel maths."]),
        (["What does the World Trade Organization do?"], ["The WTO sets the rules of trade between its member countries and settles disputes."]),
    ],
)
def test_a_short_form_of_the_subject_is_a_mention(turns, answers):
    assert verdict(turns, answers)[0] is not False, verdict(turns, answers)


def test_the_benchmark_measures_a_judge_on_the_last_answer_of_each_row(tmp_path, monkeypatch, capsys):
    """`relevance_checks.py --judge`: one on-topic request per row, about its last answer only, and the
    verdicts counted against the labels (an oracle judge that is wrong on one on-topic answer)."""
    import json
    from pathlib import Path

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "benchmarks" / "perf"))
    import relevance_checks as bench

    from harness.judge.requests import request_id

    rows = [json.loads(x) for x in bench.LABELLED[-1].read_text(encoding="utf-8").splitlines() if x.strip()]
    wrong = next(r["id"] for r in rows if r["on_topic"])
    replies = tmp_path / "topic.jsonl"
    replies.write_text("".join(json.dumps({"id": request_id(r["id"], "topic", "output", len(r["turns"])),
                                           "output": "Reason.\nOn topic: [[" + ("yes" if r["on_topic"] != (r["id"] == wrong) else "no") + "]]"})
                               + "\n" for r in rows), encoding="utf-8")
    split = rows[0]["split"]
    monkeypatch.setattr(bench.sys, "argv", ["relevance_checks.py", "--split", split, "--judge", f"replay:{replies}",
                                      "--judge-out", str(tmp_path / "again.jsonl")])
    bench.main()
    out = capsys.readouterr().out
    off = sum(not r["on_topic"] for r in rows)
    judge = out.split("the judge (replay:")[1]
    assert f"precision {off / (off + 1):.3f}, recall 1.000" in judge.splitlines()[1]
    assert f"{split}, the rules:" in out and "the judge where they do not judge" in out
    assert len((tmp_path / "again.jsonl").read_text(encoding="utf-8").splitlines()) == len(rows)  # last turns only
